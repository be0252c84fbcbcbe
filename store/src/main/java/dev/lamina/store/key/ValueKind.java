package dev.lamina.store.key;

import dev.lamina.store.CorruptionException;

/** What an internal key's entry holds. The code is the low byte of the stored trailer; do not renumber. */
public enum ValueKind {
    /** The key was deleted at this sequence; the value is empty. */
    DELETION(0),
    /** The value is stored inline. */
    VALUE(1),
    /** The value lives in the value log; the stored bytes are an encoded value pointer. */
    POINTER(2);

    /** Kind used in seek keys: the highest code, so a seek key sorts before every entry of its sequence. */
    public static final int SEEK_CODE = 0xff;

    private static final ValueKind[] BY_CODE = {DELETION, VALUE, POINTER};

    private final int code;

    ValueKind(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static ValueKind fromCode(int code) {
        if (code < 0 || code >= BY_CODE.length) {
            throw new CorruptionException("unknown value kind " + code);
        }
        return BY_CODE[code];
    }
}
