package dev.lamina.store.engine;

import dev.lamina.store.LaminaOptions;
import dev.lamina.store.io.FileSystem;
import dev.lamina.store.io.WritableFile;
import dev.lamina.store.key.InternalKey;
import dev.lamina.store.key.ValueKind;
import dev.lamina.store.table.TableBuilder;
import dev.lamina.store.table.TableOptions;
import dev.lamina.store.version.FileMetaData;
import dev.lamina.store.version.FileNames;
import dev.lamina.store.vlog.ValuePointer;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

/**
 * Writes tables and installs their files: write {@code NNNNNN.sst.tmp}, fsync, rename, fsync the directory. A
 * file number stays in {@code pendingOutputs} until the caller has recorded it in the manifest (and removed it),
 * so obsolete-file cleanup leaves it alone.
 */
final class TableWriter {
    private final FileSystem fs;
    private final Path dir;
    private final TableOptions tableOptions;
    private final Set<Long> pendingOutputs;

    TableWriter(FileSystem fs, Path dir, LaminaOptions options, Set<Long> pendingOutputs) {
        this.fs = fs;
        this.dir = dir;
        this.tableOptions = new TableOptions(options.blockSize(), TableOptions.defaults().restartInterval(),
                options.compression(), options.bloomBitsPerKey());
        this.pendingOutputs = pendingOutputs;
    }

    /** Starts table {@code number}. */
    Output open(long number) {
        return new Output(number);
    }

    /** One table being written. Call {@link #finish()}, or {@link #abandonIfUnfinished()} on failure. */
    final class Output {
        private final long number;
        private final Path path;
        private final Path temp;
        private final WritableFile file;
        private final TableBuilder builder;
        private final TreeSet<Long> vlogRefs = new TreeSet<>();
        private long smallestSequence = Long.MAX_VALUE;
        private long largestSequence;
        private boolean done;

        private Output(long number) {
            this.number = number;
            this.path = FileNames.tablePath(dir, number);
            this.temp = FileNames.tempFor(path);
            pendingOutputs.add(number);
            try {
                this.file = fs.create(temp);
            } catch (RuntimeException e) {
                pendingOutputs.remove(number);
                throw e;
            }
            this.builder = new TableBuilder(file, tableOptions);
        }

        void add(byte[] internalKey, byte[] value) {
            builder.add(internalKey, value);
            long sequence = InternalKey.sequence(internalKey);
            smallestSequence = Math.min(smallestSequence, sequence);
            largestSequence = Math.max(largestSequence, sequence);
            if (InternalKey.kind(internalKey) == ValueKind.POINTER) {
                vlogRefs.add(ValuePointer.fileNumberOf(value));
            }
        }

        long estimatedSize() {
            return builder.estimatedFileSize();
        }

        long entryCount() {
            return builder.entryCount();
        }

        /** Finishes, syncs and installs the table; null (and nothing left behind) if it has no entries. */
        FileMetaData finish() {
            if (builder.entryCount() == 0) {
                abandonIfUnfinished();
                return null;
            }
            long size = builder.finish();
            file.sync();
            file.close();
            fs.rename(temp, path);
            // The directory is synced once for all of a writer's files, before the manifest names them
            // (EntryWriter.finishInto).
            done = true;
            long[] refs = vlogRefs.stream().mapToLong(Long::longValue).toArray();
            return new FileMetaData(number, size, builder.smallestKey(), builder.largestKey(), builder.entryCount(),
                    refs, smallestSequence, largestSequence);
        }

        /** Deletes the partial file of a table that was not finished; harmless after {@link #finish()}. */
        void abandonIfUnfinished() {
            if (done) {
                return;
            }
            done = true;
            try {
                file.close();
            } catch (RuntimeException e) {
                // The table failed already; that error is the one to report.
            }
            try {
                fs.delete(temp);
            } catch (RuntimeException e) {
                // open() removes leftover temp files.
            }
            pendingOutputs.remove(number);
        }
    }
}
