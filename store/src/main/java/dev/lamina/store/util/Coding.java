package dev.lamina.store.util;

/** Little-endian fixed-width integers in byte arrays; every on-disk integer in Lamina is little-endian. */
public final class Coding {
    private Coding() {
    }

    public static void putFixed32(byte[] buf, int at, int v) {
        buf[at] = (byte) v;
        buf[at + 1] = (byte) (v >>> 8);
        buf[at + 2] = (byte) (v >>> 16);
        buf[at + 3] = (byte) (v >>> 24);
    }

    public static void putFixed64(byte[] buf, int at, long v) {
        putFixed32(buf, at, (int) v);
        putFixed32(buf, at + 4, (int) (v >>> 32));
    }

    public static int getFixed32(byte[] buf, int at) {
        return (buf[at] & 0xff) | (buf[at + 1] & 0xff) << 8 | (buf[at + 2] & 0xff) << 16 | (buf[at + 3] & 0xff) << 24;
    }

    public static long getFixed64(byte[] buf, int at) {
        return (getFixed32(buf, at) & 0xffffffffL) | ((long) getFixed32(buf, at + 4) << 32);
    }

    /** Bytes a varint of this value takes. */
    public static int varintLength(long v) {
        int n = 1;
        while ((v & ~0x7fL) != 0) {
            v >>>= 7;
            n++;
        }
        return n;
    }
}
