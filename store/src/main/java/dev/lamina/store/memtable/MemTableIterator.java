package dev.lamina.store.memtable;

import dev.lamina.store.iter.InternalIterator;
import dev.lamina.store.key.InternalKey;
import java.util.Arrays;
import java.util.NoSuchElementException;

/**
 * Walks a memtable in internal-key order: keys ascending, each key's versions newest first. Forward it follows the
 * skip list's bottom level and each key's chain; backward it searches for the previous key. Concurrent adds are
 * harmless: keys are never removed, and versions added after the iterator was made are newer than any sequence its
 * reader uses.
 */
final class MemTableIterator implements InternalIterator {
    private final KeyList keys;
    private KeyVersions key;
    private Version version;
    /** The internal key of the current version, made when first asked for. */
    private byte[] internalKey;

    MemTableIterator(KeyList keys) {
        this.keys = keys;
    }

    @Override
    public boolean isValid() {
        return version != null;
    }

    @Override
    public void seekToFirst() {
        atNewest(keys.first());
    }

    @Override
    public void seekToLast() {
        atOldest(keys.last());
    }

    @Override
    public void seek(byte[] target) {
        byte[] userKey = InternalKey.userKey(target);
        atNewest(keys.ceiling(userKey));
        if (key != null && Arrays.equals(key.userKey, userKey)) {
            // Internal order puts larger trailers first: skip the versions that sort before the target.
            long trailer = InternalKey.trailer(target);
            while (version != null && Long.compareUnsigned(version.trailer, trailer) > 0) {
                version = version.next;
            }
            if (version == null) {
                atNewest(key.next(0));
            }
        }
    }

    @Override
    public void next() {
        valid();
        internalKey = null;
        if (version.next != null) {
            version = version.next;
        } else {
            atNewest(key.next(0));
        }
    }

    @Override
    public void prev() {
        valid();
        internalKey = null;
        Version newer = null;
        for (Version v = key.head; v != version; v = v.next) {
            newer = v;
        }
        if (newer != null) {
            version = newer;
        } else {
            atOldest(keys.lower(key.userKey));
        }
    }

    private void atNewest(KeyVersions k) {
        key = k;
        internalKey = null;
        version = k == null ? null : k.head;
    }

    private void atOldest(KeyVersions k) {
        atNewest(k);
        while (version != null && version.next != null) {
            version = version.next;
        }
    }

    @Override
    public byte[] key() {
        valid();
        if (internalKey == null) {
            internalKey = InternalKey.withTrailer(key.userKey, version.trailer);
        }
        return internalKey;
    }

    @Override
    public byte[] value() {
        return valid().value;
    }

    private Version valid() {
        if (version == null) {
            throw new NoSuchElementException("iterator is not positioned on an entry");
        }
        return version;
    }

    @Override
    public void close() {
        key = null;
        version = null;
    }
}
