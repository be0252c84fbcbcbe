package dev.lamina.store.engine;

import dev.lamina.store.LaminaOptions;
import dev.lamina.store.io.FileSystem;
import dev.lamina.store.io.WritableFile;
import dev.lamina.store.iter.InternalIterator;
import dev.lamina.store.table.TableBuilder;
import dev.lamina.store.table.TableOptions;
import dev.lamina.store.version.FileMetaData;
import dev.lamina.store.version.FileNames;
import java.nio.file.Path;
import java.util.Set;

/**
 * Writes a sorted stream of internal entries as one table and installs the file: write {@code NNNNNN.sst.tmp},
 * fsync, rename, fsync the directory. The file number stays in {@code pendingOutputs} until the caller has
 * recorded it in the manifest, so obsolete-file cleanup leaves it alone.
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

    /** Writes every entry of {@code entries} (positioned by this call) into table {@code number}; null if empty. */
    FileMetaData write(long number, InternalIterator entries) {
        pendingOutputs.add(number);
        Path path = FileNames.tablePath(dir, number);
        Path temp = FileNames.tempFor(path);
        boolean installed = false;
        try {
            TableBuilder builder;
            long size;
            try (WritableFile file = fs.create(temp)) {
                builder = new TableBuilder(file, tableOptions);
                for (entries.seekToFirst(); entries.isValid(); entries.next()) {
                    builder.add(entries.key(), entries.value());
                }
                if (builder.entryCount() == 0) {
                    return null;
                }
                size = builder.finish();
                file.sync();
            }
            fs.rename(temp, path);
            fs.syncDirectory(dir);
            installed = true;
            return new FileMetaData(number, size, builder.smallestKey(), builder.largestKey(), builder.entryCount());
        } finally {
            if (!installed) {
                deleteQuietly(temp);
                pendingOutputs.remove(number);
            }
        }
    }

    private void deleteQuietly(Path path) {
        try {
            fs.delete(path);
        } catch (RuntimeException e) {
            // The table failed already; that error is the one to report. open() removes leftover temp files.
        }
    }
}
