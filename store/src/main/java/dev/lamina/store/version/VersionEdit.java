package dev.lamina.store.version;

import dev.lamina.store.CorruptionException;
import dev.lamina.store.key.InternalKey;
import dev.lamina.store.util.ByteReader;
import dev.lamina.store.util.ByteWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * One change to the set of live files and the store's counters, as recorded in the MANIFEST. Encoded as tagged
 * fields (see docs/formats.md, "MANIFEST"); unknown tags are corruption, so an old build refuses a newer manifest.
 */
public final class VersionEdit {
    static final int TAG_LOG_NUMBER = 1;
    static final int TAG_NEXT_FILE_NUMBER = 2;
    static final int TAG_LAST_SEQUENCE = 3;
    static final int TAG_COMMITTED_METADATA = 4;
    static final int TAG_DELETED_FILE = 5;
    /** A new table without its sequence range; read, never written. */
    static final int TAG_NEW_FILE_LEGACY = 6;
    /** Tag 6's fields, then the value-log files its pointers refer to; read, never written. */
    static final int TAG_NEW_FILE_WITH_VLOG_REFS_LEGACY = 7;
    static final int TAG_NEW_VLOG_FILE = 8;
    static final int TAG_VLOG_GARBAGE = 9;
    /** A new table: tag 6's fields, its sequence range, then the value-log files its pointers refer to. */
    static final int TAG_NEW_TABLE = 10;

    /** A file added at a level. */
    public record NewFile(int level, FileMetaData file) {
    }

    /** A file removed from a level. */
    public record DeletedFile(int level, long number) {
    }

    private Long logNumber;
    private Long nextFileNumber;
    private Long lastSequence;
    private byte[] committedMetadata;
    private final List<NewFile> newFiles = new ArrayList<>();
    private final List<DeletedFile> deletedFiles = new ArrayList<>();
    private final List<VlogFileState> newVlogFiles = new ArrayList<>();
    private final java.util.Map<Long, Long> vlogGarbage = new java.util.TreeMap<>();

    /** Logs numbered below this hold nothing that is not in tables. */
    public VersionEdit setLogNumber(long n) {
        logNumber = n;
        return this;
    }

    public VersionEdit setNextFileNumber(long n) {
        nextFileNumber = n;
        return this;
    }

    public VersionEdit setLastSequence(long s) {
        lastSequence = s;
        return this;
    }

    /** The latest committed metadata whose commit record is in a log this edit makes obsolete. */
    public VersionEdit setCommittedMetadata(byte[] metadata) {
        committedMetadata = metadata;
        return this;
    }

    public VersionEdit addFile(int level, FileMetaData file) {
        newFiles.add(new NewFile(level, file));
        return this;
    }

    public VersionEdit deleteFile(int level, long number) {
        deletedFiles.add(new DeletedFile(level, number));
        return this;
    }

    /** Records a new value-log file (its garbage field carries any garbage it starts with). */
    public VersionEdit addVlogFile(VlogFileState file) {
        newVlogFiles.add(file);
        return this;
    }

    /** Adds {@code bytes} to the garbage count of value-log file {@code number}. */
    public VersionEdit addVlogGarbage(long number, long bytes) {
        if (bytes > 0) {
            vlogGarbage.merge(number, bytes, Long::sum);
        }
        return this;
    }

    public List<VlogFileState> newVlogFiles() {
        return newVlogFiles;
    }

    public java.util.Map<Long, Long> vlogGarbage() {
        return vlogGarbage;
    }

    public Long logNumber() {
        return logNumber;
    }

    public Long nextFileNumber() {
        return nextFileNumber;
    }

    public Long lastSequence() {
        return lastSequence;
    }

    public byte[] committedMetadata() {
        return committedMetadata;
    }

    public List<NewFile> newFiles() {
        return newFiles;
    }

    public List<DeletedFile> deletedFiles() {
        return deletedFiles;
    }

    public byte[] encode() {
        ByteWriter w = new ByteWriter(128);
        if (logNumber != null) {
            w.writeVarint32(TAG_LOG_NUMBER).writeVarint64(logNumber);
        }
        if (nextFileNumber != null) {
            w.writeVarint32(TAG_NEXT_FILE_NUMBER).writeVarint64(nextFileNumber);
        }
        if (lastSequence != null) {
            w.writeVarint32(TAG_LAST_SEQUENCE).writeVarint64(lastSequence);
        }
        if (committedMetadata != null) {
            w.writeVarint32(TAG_COMMITTED_METADATA).writeLengthPrefixed(committedMetadata);
        }
        for (DeletedFile d : deletedFiles) {
            w.writeVarint32(TAG_DELETED_FILE).writeVarint32(d.level()).writeVarint64(d.number());
        }
        for (NewFile n : newFiles) {
            FileMetaData f = n.file();
            w.writeVarint32(TAG_NEW_TABLE).writeVarint32(n.level())
                    .writeVarint64(f.number()).writeVarint64(f.size()).writeVarint64(f.entries())
                    .writeLengthPrefixed(f.smallest()).writeLengthPrefixed(f.largest())
                    .writeVarint64(f.smallestSequence()).writeVarint64(f.largestSequence())
                    .writeVarint32(f.vlogRefs().length);
            for (long r : f.vlogRefs()) {
                w.writeVarint64(r);
            }
        }
        for (VlogFileState v : newVlogFiles) {
            w.writeVarint32(TAG_NEW_VLOG_FILE).writeVarint64(v.number()).writeVarint64(v.size())
                    .writeVarint64(v.entries()).writeVarint64(v.garbageBytes());
        }
        for (var g : vlogGarbage.entrySet()) {
            w.writeVarint32(TAG_VLOG_GARBAGE).writeVarint64(g.getKey()).writeVarint64(g.getValue());
        }
        return w.toByteArray();
    }

    /** Decodes an edit; any malformed input is a {@link CorruptionException} without file context. */
    public static VersionEdit decode(byte[] data) {
        VersionEdit e = new VersionEdit();
        ByteReader r = new ByteReader(data);
        while (r.hasRemaining()) {
            int tag = r.readVarint32();
            switch (tag) {
                case TAG_LOG_NUMBER -> e.logNumber = r.readVarint64();
                case TAG_NEXT_FILE_NUMBER -> e.nextFileNumber = r.readVarint64();
                case TAG_LAST_SEQUENCE -> e.lastSequence = r.readVarint64();
                case TAG_COMMITTED_METADATA -> e.committedMetadata = r.readLengthPrefixed();
                case TAG_DELETED_FILE -> e.deletedFiles.add(new DeletedFile(readLevel(r), r.readVarint64()));
                case TAG_NEW_FILE_LEGACY, TAG_NEW_FILE_WITH_VLOG_REFS_LEGACY, TAG_NEW_TABLE -> {
                    int level = readLevel(r);
                    long number = r.readVarint64();
                    long size = r.readVarint64();
                    long entries = r.readVarint64();
                    byte[] smallest = r.readLengthPrefixed();
                    byte[] largest = r.readLengthPrefixed();
                    InternalKey.check(smallest);
                    InternalKey.check(largest);
                    long smallestSequence = tag == TAG_NEW_TABLE ? r.readVarint64() : 0;
                    long largestSequence = tag == TAG_NEW_TABLE ? r.readVarint64() : 0;
                    if (smallestSequence > largestSequence) {
                        throw new CorruptionException("table " + number + " has sequence range " + smallestSequence
                                + ".." + largestSequence);
                    }
                    long[] refs = tag == TAG_NEW_FILE_LEGACY ? new long[0] : readRefs(r);
                    e.newFiles.add(new NewFile(level, new FileMetaData(number, size, smallest, largest, entries,
                            refs, smallestSequence, largestSequence)));
                }
                case TAG_NEW_VLOG_FILE -> e.newVlogFiles.add(new VlogFileState(r.readVarint64(), r.readVarint64(),
                        r.readVarint64(), r.readVarint64()));
                case TAG_VLOG_GARBAGE -> e.addVlogGarbage(r.readVarint64(), r.readVarint64());
                default -> throw new CorruptionException("unknown version edit tag " + tag);
            }
        }
        return e;
    }

    private static long[] readRefs(ByteReader r) {
        int count = r.readVarint32();
        if (count > r.remaining()) {
            throw new CorruptionException("value-log reference count " + count + " exceeds the edit");
        }
        long[] refs = new long[count];
        for (int i = 0; i < count; i++) {
            refs[i] = r.readVarint64();
        }
        return refs;
    }

    private static int readLevel(ByteReader r) {
        int level = r.readVarint32();
        if (level >= Version.NUM_LEVELS) {
            throw new CorruptionException("level " + level + " out of range");
        }
        return level;
    }
}
