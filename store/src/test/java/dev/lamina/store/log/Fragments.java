package dev.lamina.store.log;

import dev.lamina.store.util.Coding;
import dev.lamina.store.util.Crc32c;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Test helpers that parse and forge physical fragments directly. */
final class Fragments {
    private Fragments() {
    }

    /** One physical fragment of a log file. */
    record Fragment(long offset, int type, int length) {
    }

    /** Walks a well-formed log's fragments (without checking CRCs), skipping block trailers. */
    static List<Fragment> list(byte[] log) {
        List<Fragment> out = new ArrayList<>();
        int pos = 0;
        while (pos < log.length) {
            int leftInBlock = LogFormat.BLOCK_SIZE - pos % LogFormat.BLOCK_SIZE;
            if (leftInBlock < LogFormat.HEADER_SIZE) {
                pos += leftInBlock;
                continue;
            }
            int length = (log[pos + 4] & 0xff) | (log[pos + 5] & 0xff) << 8;
            out.add(new Fragment(pos, log[pos + 6], length));
            pos += LogFormat.HEADER_SIZE + length;
        }
        return out;
    }

    /** A correctly checksummed fragment of the given type, to build logs a writer would never produce. */
    static byte[] forge(int type, byte[] payload) {
        byte[] out = new byte[LogFormat.HEADER_SIZE + payload.length];
        Coding.putFixed32(out, 0, Crc32c.mask(Crc32c.compute(type, payload, 0, payload.length)));
        out[4] = (byte) payload.length;
        out[5] = (byte) (payload.length >>> 8);
        out[6] = (byte) type;
        System.arraycopy(payload, 0, out, LogFormat.HEADER_SIZE, payload.length);
        return out;
    }

    static byte[] random(Random random, int size) {
        byte[] b = new byte[size];
        random.nextBytes(b);
        return b;
    }

    static byte[] concat(byte[]... parts) {
        int total = 0;
        for (byte[] p : parts) {
            total += p.length;
        }
        byte[] out = new byte[total];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
