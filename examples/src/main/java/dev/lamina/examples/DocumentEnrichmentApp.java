package dev.lamina.examples;

import dev.lamina.streams.LaminaStores;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;

/**
 * Document enrichment: a KTable of JSON documents (4 to 32 KiB each, keyed by document id) in a timestamped
 * Lamina store, joined to a stream of events about those documents; each event goes out with its document's title,
 * author and size. A second Lamina store counts the events per document.
 */
public final class DocumentEnrichmentApp {
    public static final String APPLICATION_ID = "lamina-document-enrichment";
    public static final String DOCUMENTS = "documents";
    public static final String EVENTS = "events";
    public static final String OUTPUT = "enriched-events";
    public static final String DOCUMENT_STORE = "documents-store";
    public static final String VIEWS_STORE = "events-per-document";

    private static final Pattern TITLE = Pattern.compile("\"title\"\\s*:\\s*\"([^\"]*)\"");
    private static final Pattern AUTHOR = Pattern.compile("\"author\"\\s*:\\s*\"([^\"]*)\"");

    private DocumentEnrichmentApp() {
    }

    public static Topology topology() {
        StreamsBuilder builder = new StreamsBuilder();
        KTable<String, String> documents = builder.table(DOCUMENTS, Consumed.with(Serdes.String(), Serdes.String()),
                Materialized.<String, String>as(LaminaStores.persistentTimestampedKeyValueStore(DOCUMENT_STORE))
                        .withKeySerde(Serdes.String()).withValueSerde(Serdes.String()));
        KStream<String, String> events = builder.stream(EVENTS, Consumed.with(Serdes.String(), Serdes.String()));
        events.join(documents, DocumentEnrichmentApp::enrich)
                .to(OUTPUT, Produced.with(Serdes.String(), Serdes.String()));
        events.groupByKey()
                .count(Materialized.<String, Long>as(LaminaStores.persistentKeyValueStore(VIEWS_STORE))
                        .withKeySerde(Serdes.String()).withValueSerde(Serdes.Long()));
        return builder.build();
    }

    /** The event (a JSON object) with the document's title, author and size added. */
    static String enrich(String event, String document) {
        String body = event.trim();
        String fields = "\"title\":\"" + field(TITLE, document) + "\",\"author\":\"" + field(AUTHOR, document)
                + "\",\"documentBytes\":" + document.length();
        return body.substring(0, body.length() - 1) + (body.length() > 2 ? "," : "") + fields + "}";
    }

    private static String field(Pattern pattern, String json) {
        Matcher m = pattern.matcher(json);
        return m.find() ? m.group(1) : "";
    }
}
