package dev.lamina.store;

/**
 * Block compression for SSTables; both codecs are pure Java, so no native library is loaded. The code is stored in
 * every block trailer; do not renumber.
 */
public enum Compression {
    NONE(0),
    LZ4(1),
    ZSTD(2);

    private final int code;

    Compression(int code) {
        this.code = code;
    }

    /** The byte written to disk for this compression. */
    public int code() {
        return code;
    }

    /** The compression for a stored code, or null when the code is unknown. */
    public static Compression fromCode(int code) {
        for (Compression c : values()) {
            if (c.code == code) {
                return c;
            }
        }
        return null;
    }
}
