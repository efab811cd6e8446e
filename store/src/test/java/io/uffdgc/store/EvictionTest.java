package io.uffdgc.store;

import static io.uffdgc.store.Stores.bytes;
import static org.junit.jupiter.api.Assertions.*;

import io.uffdgc.gc.Mode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A bounded store: it never holds more key and value bytes than its bound, and CLOCK keeps what is read. */
@Timeout(60)
class EvictionTest {
    @Test
    void theBoundHoldsAndReadEntriesSurvive() {
        long bound = 1 << 20;
        try (OffHeapStore store = Stores.manual("bounded").segments(4).maxDataBytes(bound).build()) {
            byte[] v = new byte[1000];
            for (int i = 0; i < 100; i++) store.put(bytes("hot" + i), v);
            for (int round = 0; round < 20; round++) {
                for (int i = 0; i < 5000 / 20; i++) store.put(bytes("cold" + round + "-" + i), v);
                for (int i = 0; i < 100; i++) store.get(bytes("hot" + i)); // sets their referenced bits
                assertTrue(store.stats().dataBytes() <= bound, "bound kept: " + store.stats());
            }
            int hot = 0;
            for (int i = 0; i < 100; i++) if (store.get(bytes("hot" + i)) != null) hot++;
            int coldLeft = 0;
            for (int i = 0; i < 250; i++) if (store.get(bytes("cold0-" + i)) != null) coldLeft++;
            assertTrue(hot >= 90, "entries read between writes survive: " + hot + " of 100");
            assertTrue(coldLeft < 25, "entries never read go first: " + coldLeft + " of 250 left");
            assertTrue(store.size() > 500, "the store stays near its bound: " + store.size());
            store.collector().collect(Mode.STW);
            Stores.verify(store);
            assertEquals(store.size(), Stores.contents(store).size());
        }
    }

    @Test
    void aSameLengthPutInAFullStoreEvictsNothing() {
        long bound = 256 << 10;
        try (OffHeapStore store = Stores.manual("full").segments(2).maxDataBytes(bound).build()) {
            byte[] v = new byte[1000];
            for (int i = 0; i < 400; i++) store.put(bytes("k" + i), v);   // past the bound: both segments full
            java.util.Set<String> present = Stores.contents(store).keySet();
            assertTrue(present.size() < 400, "the bound evicted while filling: " + present.size());
            for (String k : present) store.put(bytes(k), new byte[1000]);
            java.util.Set<String> after = Stores.contents(store).keySet();
            assertEquals(present.size(), after.size(), "rewriting values in place evicted entries");
            assertEquals(present, after);
            Stores.verify(store);
        }
    }

    @Test
    void anEntryLargerThanASegmentsShareIsRefused() {
        try (OffHeapStore store = Stores.manual("share").segments(4).maxDataBytes(4096).build()) {
            var e = assertThrows(IllegalArgumentException.class, () -> store.put(bytes("k"), new byte[2000]));
            assertTrue(e.getMessage().contains("share"), e.getMessage());
            assertTrue(store.isEmpty());
        }
    }
}
