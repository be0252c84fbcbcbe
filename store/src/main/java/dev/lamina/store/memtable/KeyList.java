package dev.lamina.store.memtable;

import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The memtable's keys in order: a skip list whose nodes are the {@link KeyVersions} themselves (LevelDB's skip list,
 * for the JVM). One writer inserts, any number of readers search and walk without locks: a node is fully built
 * before it is linked, and each link is published with release semantics, bottom level first, so a reader sees a
 * node at a level only once it is reachable below. Nodes are never removed. Comparisons look at an eight-byte prefix
 * kept in the node first, so most steps of a search touch no key array.
 */
final class KeyList {
    private static final int MAX_HEIGHT = 12;
    private final KeyVersions head = new KeyVersions(null, 0, MAX_HEIGHT);
    /** Levels in use; read without synchronization by readers, for whom a stale value only costs a step. */
    private volatile int height = 1;

    /** Links {@code node}, whose key must be absent. Writer only. */
    void insert(KeyVersions node) {
        KeyVersions[] prev = new KeyVersions[MAX_HEIGHT];
        lastBefore(node.userKey, node.prefix, prev);
        int h = node.height();
        if (h > height) {
            for (int level = height; level < h; level++) {
                prev[level] = head;
            }
            height = h;
        }
        for (int level = 0; level < h; level++) {
            node.setNext(level, prev[level].next(level));
            prev[level].setNext(level, node);
        }
    }

    /** A height for a new node: 1, then each level more with a chance of one in four. */
    static int randomHeight() {
        int h = 1;
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (h < MAX_HEIGHT && random.nextInt(4) == 0) {
            h++;
        }
        return h;
    }

    /** The first node with a key at or after {@code key}, or null. */
    KeyVersions ceiling(byte[] key) {
        return lastBefore(key, KeyVersions.prefix(key), null).next(0);
    }

    /** The last node with a key before {@code key}, or null. */
    KeyVersions lower(byte[] key) {
        KeyVersions x = lastBefore(key, KeyVersions.prefix(key), null);
        return x == head ? null : x;
    }

    KeyVersions first() {
        return head.next(0);
    }

    KeyVersions last() {
        KeyVersions x = head;
        for (int level = height - 1; level >= 0; level--) {
            KeyVersions next = x.next(level);
            while (next != null) {
                x = next;
                next = x.next(level);
            }
        }
        return x == head ? null : x;
    }

    /**
     * The last node (or the head) with a key before {@code key}; fills {@code prev}, if given, with that node at each
     * level: where a new node of that key is linked.
     */
    private KeyVersions lastBefore(byte[] key, long prefix, KeyVersions[] prev) {
        KeyVersions x = head;
        for (int level = height - 1; level >= 0; level--) {
            KeyVersions next = x.next(level);
            while (next != null && compare(next, key, prefix) < 0) {
                x = next;
                next = x.next(level);
            }
            if (prev != null) {
                prev[level] = x;
            }
        }
        return x;
    }

    private static int compare(KeyVersions node, byte[] key, long prefix) {
        if (node.prefix != prefix) {
            return Long.compareUnsigned(node.prefix, prefix);
        }
        return Arrays.compareUnsigned(node.userKey, key);
    }
}
