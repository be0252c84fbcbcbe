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
    static final int TAG_NEW_FILE = 6;

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
            w.writeVarint32(TAG_NEW_FILE).writeVarint32(n.level()).writeVarint64(f.number()).writeVarint64(f.size())
                    .writeVarint64(f.entries()).writeLengthPrefixed(f.smallest()).writeLengthPrefixed(f.largest());
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
                case TAG_NEW_FILE -> {
                    int level = readLevel(r);
                    long number = r.readVarint64();
                    long size = r.readVarint64();
                    long entries = r.readVarint64();
                    byte[] smallest = r.readLengthPrefixed();
                    byte[] largest = r.readLengthPrefixed();
                    InternalKey.check(smallest);
                    InternalKey.check(largest);
                    e.newFiles.add(new NewFile(level, new FileMetaData(number, size, smallest, largest, entries)));
                }
                default -> throw new CorruptionException("unknown version edit tag " + tag);
            }
        }
        return e;
    }

    private static int readLevel(ByteReader r) {
        int level = r.readVarint32();
        if (level >= Version.NUM_LEVELS) {
            throw new CorruptionException("level " + level + " out of range");
        }
        return level;
    }
}
