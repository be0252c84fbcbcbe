package dev.lamina.examples;

import dev.lamina.streams.LaminaStores;
import java.util.Arrays;
import java.util.Locale;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;

/**
 * Word count: lines of text in, a running count per word out, the counts kept in a Lamina store
 * ({@value #STORE}) exactly where a RocksDB store would be.
 */
public final class WordCountApp {
    public static final String APPLICATION_ID = "lamina-word-count";
    public static final String INPUT = "sentences";
    public static final String OUTPUT = "word-counts";
    public static final String STORE = "word-counts-store";

    private WordCountApp() {
    }

    public static Topology topology() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(INPUT, Consumed.with(Serdes.String(), Serdes.String()))
                .flatMapValues(line -> Arrays.asList(line.toLowerCase(Locale.ROOT).split("\\W+")))
                .filter((key, word) -> !word.isEmpty())
                .groupBy((key, word) -> word, Grouped.with("words", Serdes.String(), Serdes.String()))
                .count(Materialized.<String, Long>as(LaminaStores.persistentKeyValueStore(STORE))
                        .withKeySerde(Serdes.String()).withValueSerde(Serdes.Long()))
                .toStream()
                .to(OUTPUT, Produced.with(Serdes.String(), Serdes.Long()));
        return builder.build();
    }
}
