package dev.lamina.store.key;

import dev.lamina.store.CorruptionException;
import dev.lamina.store.util.Coding;
import java.util.Arrays;
import java.util.Comparator;

/**
 * Internal keys: the user key followed by an 8-byte little-endian trailer {@code (sequence << 8) | kind}.
 * Order: user key as unsigned bytes ascending, then trailer descending (newest first).
 */
public final class InternalKey {
    public static final int TRAILER_SIZE = 8;
    /** Sequences use the trailer's upper 56 bits. */
    public static final long MAX_SEQUENCE = (1L << 56) - 1;

    public static final Comparator<byte[]> COMPARATOR = InternalKey::compare;

    private InternalKey() {
    }

    public static byte[] encode(byte[] userKey, long sequence, ValueKind kind) {
        return encode(userKey, sequence, kind.code());
    }

    /** The key a seek uses to land on the newest entry of {@code userKey} visible at {@code sequence}. */
    public static byte[] seekKey(byte[] userKey, long sequence) {
        return encode(userKey, sequence, ValueKind.SEEK_CODE);
    }

    private static byte[] encode(byte[] userKey, long sequence, int kindCode) {
        return withTrailer(userKey, (sequence << 8) | kindCode);
    }

    /** The internal key of {@code userKey} with the trailer {@code (sequence << 8) | kind}. */
    public static byte[] withTrailer(byte[] userKey, long trailer) {
        byte[] out = Arrays.copyOf(userKey, userKey.length + TRAILER_SIZE);
        Coding.putFixed64(out, userKey.length, trailer);
        return out;
    }

    /** Throws {@link CorruptionException} if the bytes are too short to be an internal key. */
    public static void check(byte[] internalKey) {
        if (internalKey.length < TRAILER_SIZE) {
            throw new CorruptionException("internal key shorter than its trailer: " + internalKey.length + " bytes");
        }
    }

    public static int userKeyLength(byte[] internalKey) {
        return internalKey.length - TRAILER_SIZE;
    }

    public static byte[] userKey(byte[] internalKey) {
        return Arrays.copyOf(internalKey, internalKey.length - TRAILER_SIZE);
    }

    public static long trailer(byte[] internalKey) {
        return Coding.getFixed64(internalKey, internalKey.length - TRAILER_SIZE);
    }

    public static long sequence(byte[] internalKey) {
        return trailer(internalKey) >>> 8;
    }

    public static ValueKind kind(byte[] internalKey) {
        return ValueKind.fromCode((int) (trailer(internalKey) & 0xff));
    }

    public static int compare(byte[] a, byte[] b) {
        int c = Arrays.compareUnsigned(a, 0, a.length - TRAILER_SIZE, b, 0, b.length - TRAILER_SIZE);
        if (c != 0) {
            return c;
        }
        return Long.compareUnsigned(trailer(b), trailer(a));
    }

    /** Compares only the user-key parts of two internal keys. */
    public static int compareUserKeys(byte[] a, byte[] b) {
        return Arrays.compareUnsigned(a, 0, a.length - TRAILER_SIZE, b, 0, b.length - TRAILER_SIZE);
    }

    /** Compares the user-key part of an internal key with a plain user key. */
    public static int compareToUserKey(byte[] internalKey, byte[] userKey) {
        return Arrays.compareUnsigned(internalKey, 0, internalKey.length - TRAILER_SIZE, userKey, 0, userKey.length);
    }

    /** Human-readable form for messages and logs. */
    public static String describe(byte[] internalKey) {
        if (internalKey.length < TRAILER_SIZE) {
            return "<malformed " + internalKey.length + " bytes>";
        }
        long t = trailer(internalKey);
        return Bytes.toDisplay(internalKey, internalKey.length - TRAILER_SIZE) + "@" + (t >>> 8) + "/" + (t & 0xff);
    }

    /** Formatting of user keys for messages. */
    public static final class Bytes {
        private Bytes() {
        }

        public static String toDisplay(byte[] key, int length) {
            StringBuilder sb = new StringBuilder();
            int shown = Math.min(length, 48);
            for (int i = 0; i < shown; i++) {
                int b = key[i] & 0xff;
                if (b >= 0x20 && b < 0x7f && b != '\\') {
                    sb.append((char) b);
                } else {
                    sb.append(String.format("\\x%02x", b));
                }
            }
            if (shown < length) {
                sb.append("...(").append(length).append(" bytes)");
            }
            return sb.toString();
        }
    }
}
