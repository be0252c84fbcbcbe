package dev.lamina.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.apache.kafka.streams.DslStoreFormat;
import org.apache.kafka.streams.kstream.EmitStrategy;
import org.apache.kafka.streams.state.DslKeyValueParams;
import org.apache.kafka.streams.state.DslSessionParams;
import org.apache.kafka.streams.state.DslWindowParams;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.junit.jupiter.api.Test;

class LaminaDslStoreSuppliersTest {
    private final LaminaDslStoreSuppliers suppliers = new LaminaDslStoreSuppliers();

    @Test
    void keyValueStoresAreLaminaInEveryFormat() {
        KeyValueBytesStoreSupplier plain = suppliers.keyValueStore(new DslKeyValueParams("a", DslStoreFormat.PLAIN));
        assertFalse(((LaminaKeyValueBytesStoreSupplier) plain).timestamped());
        assertEquals("lamina", plain.metricsScope());
        assertEquals("a", plain.name());
        for (DslStoreFormat format : new DslStoreFormat[] {DslStoreFormat.TIMESTAMPED, DslStoreFormat.HEADERS}) {
            KeyValueBytesStoreSupplier s = suppliers.keyValueStore(new DslKeyValueParams("b", format));
            assertTrue(((LaminaKeyValueBytesStoreSupplier) s).timestamped(), format.toString());
        }
    }

    @Test
    void windowAndSessionStoresAreKafkasRocksDbStores() {
        var window = suppliers.windowStore(new DslWindowParams("w", Duration.ofHours(1), Duration.ofMinutes(5),
                false, EmitStrategy.onWindowUpdate(), false, DslStoreFormat.TIMESTAMPED));
        assertEquals("rocksdb-window", window.metricsScope());
        var session = suppliers.sessionStore(new DslSessionParams("s", Duration.ofHours(1),
                EmitStrategy.onWindowUpdate(), DslStoreFormat.PLAIN));
        assertEquals("rocksdb-session", session.metricsScope());
    }
}
