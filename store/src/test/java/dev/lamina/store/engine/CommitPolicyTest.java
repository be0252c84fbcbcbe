package dev.lamina.store.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lamina.store.LaminaOptions;
import dev.lamina.store.engine.CommitPolicy.Step;
import dev.lamina.store.key.ValueKind;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The commit's decision for each memtable, from the facts its entry holds: no files, no engine. A 256 KiB write
 * buffer, so a quarter of it is 64 KiB; values of 1 KiB and more are bound for the value log.
 */
class CommitPolicyTest {
    private static final LaminaOptions OPTIONS = LaminaOptions.builder().writeBufferSize(256 << 10).build();

    static Stream<Arguments> cases() {
        Consumer<MemtableEntry> nothing = e -> { };
        Consumer<MemtableEntry> small = e -> put(e, 100, 100, 0);
        Consumer<MemtableEntry> fewLarge = e -> put(e, 20, 2048, 0); // 40 KiB: under a quarter
        Consumer<MemtableEntry> manyLarge = e -> put(e, 40, 2048, 0); // 80 KiB: past a quarter
        Consumer<MemtableEntry> hotLarge = e -> put(e, 200, 2048, 2); // 2 keys overwritten: 4 KiB to log
        Consumer<MemtableEntry> restored = e -> e.restored();
        return Stream.of(
                Arguments.of("empty", nothing, true, true, Step.NOTHING),
                Arguments.of("empty", nothing, false, false, Step.NOTHING),
                Arguments.of("small values", small, true, true, Step.LOG),
                Arguments.of("small values", small, false, false, Step.LOG),
                Arguments.of("few large values", fewLarge, true, true, Step.LOG),
                Arguments.of("few large values", fewLarge, false, false, Step.AWAIT_FLUSH),
                Arguments.of("many large values", manyLarge, true, true, Step.SWITCH_AND_AWAIT_FLUSH),
                Arguments.of("many large values, no room", manyLarge, true, false, Step.LOG),
                Arguments.of("many large values", manyLarge, false, false, Step.AWAIT_FLUSH),
                Arguments.of("a few hot keys of large values", hotLarge, true, true, Step.LOG),
                Arguments.of("restored writes", restored, true, true, Step.SWITCH_AND_AWAIT_FLUSH),
                Arguments.of("restored writes, no room", restored, true, false, Step.SWITCH_AND_AWAIT_FLUSH),
                Arguments.of("restored writes", restored, false, false, Step.AWAIT_FLUSH));
    }

    @ParameterizedTest(name = "{0}, mutable {2}, room {3}: {4}")
    @MethodSource("cases")
    void eachMemtableGetsOneStep(String name, Consumer<MemtableEntry> writes, boolean mutable, boolean room,
            Step expected) {
        MemtableEntry entry = MemtableEntry.empty(OPTIONS);
        writes.accept(entry);
        assertEquals(expected, CommitPolicy.decide(entry, mutable, room));
    }

    /** {@code count} writes of {@code size}-byte values, to {@code keys} keys in turn (0: each key once). */
    private static void put(MemtableEntry entry, int count, int size, int keys) {
        for (int i = 0; i < count; i++) {
            byte[] key = ("key-" + (keys == 0 ? i : i % keys)).getBytes(StandardCharsets.UTF_8);
            entry.mem.add(i + 1, ValueKind.VALUE, key, new byte[size], true);
        }
    }
}
