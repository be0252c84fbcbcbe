package dev.lamina.store.memtable;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A user key of a memtable and its versions, newest first; also a node of the memtable's {@link KeyList}. The
 * memtable's one writer prepends a new version by publishing it as the head; readers walk the chain from the head
 * to the first version their sequence sees.
 */
final class KeyVersions {
    private static final VarHandle NEXT = MethodHandles.arrayElementVarHandle(KeyVersions[].class);

    final byte[] userKey;
    final int hash;
    /** The key's first eight bytes as an unsigned number (zero-padded): most comparisons need no more. */
    final long prefix;
    /** The next key at each level of the skip list, written with release and read with acquire semantics. */
    private final KeyVersions[] next;
    volatile Version head;
    /**
     * The value of the memtable's unlogged-writes mark when this key was last counted among the writes a commit must
     * log; equal to the current mark while it is one of them. Writer only.
     */
    long unloggedMark;

    KeyVersions(byte[] userKey, int hash, int height) {
        this.userKey = userKey;
        this.hash = hash;
        this.prefix = userKey == null ? 0 : prefix(userKey);
        this.next = new KeyVersions[height];
    }

    int height() {
        return next.length;
    }

    KeyVersions next(int level) {
        return (KeyVersions) NEXT.getAcquire(next, level);
    }

    void setNext(int level, KeyVersions node) {
        NEXT.setRelease(next, level, node);
    }

    static long prefix(byte[] key) {
        long p = 0;
        int n = Math.min(8, key.length);
        for (int i = 0; i < n; i++) {
            p |= (key[i] & 0xffL) << (56 - 8 * i);
        }
        return p;
    }
}
