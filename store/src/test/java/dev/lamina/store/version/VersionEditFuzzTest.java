package dev.lamina.store.version;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.store.CorruptionException;
import dev.lamina.store.fault.MutationFuzzer;
import dev.lamina.store.key.InternalKey;
import dev.lamina.store.key.ValueKind;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Feeds {@link VersionEdit#decode} mutated edits. Anything malformed must be a {@link CorruptionException} (an
 * unknown tag, a level out of range, a bad key, a forged length); whatever decodes must encode and decode again to
 * the same bytes.
 */
class VersionEditFuzzTest {

    @Test
    void arbitraryEditsDecodeOrAreReportedAsCorruption() {
        Random random = new Random(5);
        MutationFuzzer fuzzer = new MutationFuzzer("version edits", 44).allow(CorruptionException.class);
        fuzzer.seed(new VersionEdit().encode());
        for (int i = 0; i < 10; i++) {
            VersionEdit edit = new VersionEdit().setLogNumber(random.nextInt(1000))
                    .setNextFileNumber(random.nextInt(1000)).setLastSequence(random.nextLong() >>> 9);
            if (random.nextBoolean()) {
                byte[] metadata = new byte[random.nextInt(40)];
                random.nextBytes(metadata);
                edit.setCommittedMetadata(metadata);
            }
            for (int n = random.nextInt(4); n > 0; n--) {
                edit.deleteFile(random.nextInt(Version.NUM_LEVELS), random.nextInt(1000));
            }
            for (int n = random.nextInt(4); n > 0; n--) {
                byte[] smallest = InternalKey.encode(("a" + random.nextInt(100)).getBytes(), random.nextInt(1000),
                        ValueKind.VALUE);
                byte[] largest = InternalKey.encode(("z" + random.nextInt(100)).getBytes(), random.nextInt(1000),
                        ValueKind.DELETION);
                edit.addFile(random.nextInt(Version.NUM_LEVELS),
                        new FileMetaData(random.nextInt(1000), random.nextInt(1 << 20), smallest, largest, 10,
                                random.nextInt(1000), 1000 + random.nextInt(1000)));
            }
            fuzzer.seed(edit.encode());
        }
        long inputs = fuzzer.run(input -> {
            byte[] again = VersionEdit.decode(input).encode();
            assertArrayEquals(again, VersionEdit.decode(again).encode(), "re-encoding is not stable");
        });
        System.out.println("VersionEditFuzzTest: " + inputs + " inputs");
        assertTrue(inputs > 100, "too few inputs: " + inputs);
    }
}
