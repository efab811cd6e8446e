package io.uffdgc.store;

import static org.junit.jupiter.api.Assertions.*;

import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The README's "Object store" example, as written there (asserts made JUnit's), must run. */
class ReadmeExampleTest {
    @Test
    @Timeout(60)
    void objectStoreExampleRuns() {
        try (OffHeapMap<String, String> map = OffHeapStore.builder()
                .expectedEntries(100_000)
                .heapCapacity(1L << 30)                      // reserved; resident follows live data
                .buildMap(Codecs.STRING, Codecs.STRING)) {   // ConcurrentMap<String, String>
            map.put("user:1", "Ada");
            map.merge("user:1", " Lovelace", String::concat);
            assertTrue(map.get("user:1").equals("Ada Lovelace"));

            OffHeapStore store = map.store();                // the bytes API: no objects per call
            store.put(new UnsafeBuffer("k".getBytes()), 0, 1, new UnsafeBuffer(new byte[4096]), 0, 4096);
            ExpandableArrayBuffer out = new ExpandableArrayBuffer();
            assertTrue(store.get(new UnsafeBuffer("k".getBytes()), 0, 1, out, 0) == 4096);
            StoreStats stats = store.stats();                // entries, live, used, resident, collections, last pause
            assertTrue(stats.entries() == 2);
        }
    }
}
