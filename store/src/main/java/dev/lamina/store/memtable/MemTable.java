package dev.lamina.store.memtable;

import dev.lamina.store.iter.InternalIterator;
import dev.lamina.store.key.InternalEntry;
import dev.lamina.store.key.InternalKey;
import dev.lamina.store.key.ValueKind;
import java.util.ArrayList;
import java.util.List;

/**
 * The in-memory table: each user key once, with its versions newest first. A hash index answers point reads and
 * finds the key an overwrite adds to without a search; a skip list over the distinct keys ({@link KeyList}) gives the
 * order iterators and flushes walk. Kafka Streams reads a key before nearly every write (counts, aggregates, joins)
 * and overwrites the same keys many times between flushes, so a read costs one hash probe and an overwrite a new head
 * version.
 *
 * <p>One writer at a time (the engine's write lock, or the one thread building a memtable no reader sees), any number
 * of concurrent readers and iterators. Entries are never removed, so an iterator stays valid while writes go on;
 * versions added after a reader took its sequence are newer, and readers filter them out.
 *
 * <p>It also keeps which keys were written since the last commit logged them ({@link #forEachUnlogged}): a commit
 * logs the newest version of each, and a key overwritten a thousand times between two commits costs one log entry.
 */
public final class MemTable {
    /** Heap bytes a key costs beyond its bytes: its node with its links, the key array's header, hash slots. */
    static final int KEY_OVERHEAD = 96;
    /** Heap bytes a version costs beyond its value: the version object and the value array's header. */
    static final int VERSION_OVERHEAD = 48;
    private static final byte[] EMPTY = new byte[0];

    private final KeyList sorted = new KeyList();
    private final KeyIndex index = new KeyIndex();
    private final int largeValueBytes;
    private volatile long memoryUsage;
    private volatile long largestSequence;
    private volatile int versionCount;

    // The writes a commit must still log (writer only): the keys, and the bytes of their newest versions.
    private long unloggedMark = 1;
    private List<KeyVersions> unlogged = new ArrayList<>();
    private long unloggedBytes;
    private long unloggedLargeValueBytes;

    /** A memtable that counts no value as large. */
    public MemTable() {
        this(0);
    }

    /**
     * A memtable that counts unlogged values of at least {@code largeValueBytes} apart ({@link
     * #unloggedLargeValueBytes}); 0 counts none.
     */
    public MemTable(int largeValueBytes) {
        this.largeValueBytes = largeValueBytes;
    }

    /** A new, empty memtable that counts large values as this one does. */
    public MemTable emptyCopy() {
        return new MemTable(largeValueBytes);
    }

    /**
     * Adds a version; sequences are unique. For a deletion {@code value} is ignored. The arrays are kept, not
     * copied. {@code toLog}: the write is one a commit must log (not a restore or a replay).
     */
    public void add(long sequence, ValueKind kind, byte[] userKey, byte[] value, boolean toLog) {
        byte[] stored = kind == ValueKind.DELETION ? EMPTY : value;
        KeyVersions key = insert(userKey, (sequence << 8) | kind.code(), stored);
        if (toLog || key.unloggedMark == unloggedMark) {
            // A key already unlogged is logged with its newest version, whichever write made it.
            markUnlogged(key, stored);
        }
    }

    /** Adds a version that no commit logs: a replay or a restore. */
    public void add(long sequence, ValueKind kind, byte[] userKey, byte[] value) {
        add(sequence, kind, userKey, value, false);
    }

    /** Adds an entry taken from another memtable: its internal key and stored value, as they were there. */
    public void addEncoded(byte[] internalKey, byte[] stored) {
        insert(InternalKey.userKey(internalKey), InternalKey.trailer(internalKey), stored);
    }

    private KeyVersions insert(byte[] userKey, long trailer, byte[] stored) {
        int hash = KeyIndex.hash(userKey);
        KeyVersions key = index.find(userKey, hash);
        long bytes = stored.length + VERSION_OVERHEAD;
        if (key == null) {
            key = new KeyVersions(userKey, hash, KeyList.randomHeight());
            key.head = new Version(trailer, stored, null);
            index.add(key);
            sorted.insert(key);
            bytes += userKey.length + KEY_OVERHEAD;
        } else {
            insertVersion(key, new Version(trailer, stored, null));
        }
        memoryUsage += bytes;
        versionCount++;
        long sequence = trailer >>> 8;
        if (sequence > largestSequence) {
            largestSequence = sequence;
        }
        return key;
    }

    /**
     * Links a version into its key's chain, newest first: at the head, as writes come (unless replayed out of order).
     */
    private static void insertVersion(KeyVersions key, Version version) {
        Version head = key.head;
        if (Long.compareUnsigned(version.trailer, head.trailer) > 0) {
            version.next = head;
            key.head = version;
            return;
        }
        Version at = head;
        while (at.next != null && Long.compareUnsigned(at.next.trailer, version.trailer) > 0) {
            at = at.next;
        }
        version.next = at.next;
        at.next = version;
    }

    private void markUnlogged(KeyVersions key, byte[] newest) {
        if (key.unloggedMark == unloggedMark) {
            // Counted already: only the newest version is logged, so its bytes replace the previous newest's.
            Version previous = key.head.next;
            if (previous != null) {
                unloggedBytes -= previous.value.length;
                unloggedLargeValueBytes -= largeBytes(previous.value);
            }
        } else {
            key.unloggedMark = unloggedMark;
            unlogged.add(key);
            unloggedBytes += key.userKey.length + 16;
        }
        unloggedBytes += newest.length;
        unloggedLargeValueBytes += largeBytes(newest);
    }

    private long largeBytes(byte[] value) {
        return largeValueBytes > 0 && value.length >= largeValueBytes ? value.length : 0;
    }

    /** The newest version of {@code userKey} with a sequence at or below {@code sequence}, or null. */
    public InternalEntry get(byte[] userKey, long sequence) {
        KeyVersions key = index.find(userKey, KeyIndex.hash(userKey));
        if (key == null) {
            return null;
        }
        for (Version v = key.head; v != null; v = v.next) {
            if (v.sequence() <= sequence) {
                return new InternalEntry(InternalKey.withTrailer(userKey, v.trailer), v.value);
            }
        }
        return null;
    }

    public InternalIterator newIterator() {
        return new MemTableIterator(sorted);
    }

    // ---- the writes a commit must still log (writer only) ------------------------------------------------------

    /** A sink for the newest version of each unlogged key. */
    @FunctionalInterface
    public interface UnloggedWriteSink {
        /** {@code value} is null for a deletion. */
        void accept(byte[] userKey, long sequence, byte[] value);
    }

    /** Hands the newest version of every key written for the log since the last {@link #markLogged}, in no order. */
    public void forEachUnlogged(UnloggedWriteSink sink) {
        for (KeyVersions key : unlogged) {
            Version newest = key.head;
            boolean deletion = (newest.trailer & 0xff) == ValueKind.DELETION.code();
            sink.accept(key.userKey, newest.sequence(), deletion ? null : newest.value);
        }
    }

    /** The writes handed to {@link #forEachUnlogged} are logged: forgets them. */
    public void markLogged() {
        unloggedMark++;
        unlogged = new ArrayList<>();
        unloggedBytes = 0;
        unloggedLargeValueBytes = 0;
    }

    /** Counts the keys {@code other} has unlogged as unlogged here too: for a compacted copy that replaces it. */
    public void carryUnloggedFrom(MemTable other) {
        for (KeyVersions k : other.unlogged) {
            KeyVersions here = index.find(k.userKey, k.hash);
            if (here == null) {
                throw new IllegalStateException("a compacted memtable lacks a key written since the last commit");
            }
            markUnlogged(here, here.head.value);
        }
    }

    public boolean hasUnlogged() {
        return !unlogged.isEmpty();
    }

    /** Bytes a commit would log now: keys and newest values of the unlogged writes. */
    public long unloggedBytes() {
        return unloggedBytes;
    }

    /** Bytes of the unlogged newest values counted as large (see {@link #MemTable(int)}). */
    public long unloggedLargeValueBytes() {
        return unloggedLargeValueBytes;
    }

    // ---- size ------------------------------------------------------------------------------------------------

    /** Approximate heap bytes held by the entries. */
    public long memoryUsage() {
        return memoryUsage;
    }

    public boolean isEmpty() {
        return index.size() == 0;
    }

    /** Versions held, of all keys. */
    public int entryCount() {
        return versionCount;
    }

    /** Largest sequence added, 0 if empty. */
    public long largestSequence() {
        return largestSequence;
    }
}
