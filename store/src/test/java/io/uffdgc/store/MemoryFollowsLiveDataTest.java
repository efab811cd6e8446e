package io.uffdgc.store;

import static io.uffdgc.store.Stores.bytes;
import static org.junit.jupiter.api.Assertions.*;

import io.uffdgc.gc.Mode;
import java.util.Random;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Fill, delete most, and let the store's own policy collect: resident memory (the collector's
 * and mincore's figure for the heap range) comes back down to within the policy's ratio of
 * what is still live, in a 1 GiB reservation.
 */
class MemoryFollowsLiveDataTest {
    /** Resident may exceed live by the policy's ratio, plus the pages a TLAB or a dense page leaves partly used. */
    private static final double FACTOR = LiveRatioPolicy.DEFAULT_RATIO + 0.05;

    @ParameterizedTest
    @EnumSource(value = Mode.class, names = {"STW", "COPY", "MOVE"})
    @Timeout(120)
    void residentMemoryComesBackDownAfterDeletes(Mode mode) throws InterruptedException {
        try (OffHeapStore store = OffHeapStore.builder().name("follows-" + mode).mode(mode).expectedEntries(20_000).build()) {
            Stores.assumeMode(store, mode);
            Random r = new Random(3);
            int n = 20_000;
            for (int i = 0; i < n; i++) {
                byte[] v = new byte[2048 + r.nextInt(4096)];
                r.nextBytes(v);
                store.put(bytes("key-" + i), v);
            }
            StoreStats full = store.stats();
            assertTrue(full.residentBytes() >= full.dataBytes(), full.toString());
            for (int i = 0; i < n; i++) if (i % 10 != 0) store.remove(bytes("key-" + i));
            StoreStats after = awaitResidentWithin(store, FACTOR, full.collections(), 30_000);
            assertTrue(after.collections() > full.collections(), "the policy collected after the deletes: " + after);
            assertTrue(after.residentBytes() < full.residentBytes() / 4,
                    "resident " + full.residentBytes() + " -> " + after.residentBytes() + " after deleting 90%");
            assertEquals(n / 10, store.size());
            store.collector().lastCycle().ifPresent(c -> assertEquals(mode, c.mode()));
            Stores.verify(store);
        }
    }

    /**
     * Polls stats until a cycle after the deletes has completed and resident <= factor x live,
     * or the time is up; returns the last stats. (Inside a compaction window the heap's own range
     * holds only what was rebuilt so far, so resident alone can read low before any cycle ended.)
     */
    private static StoreStats awaitResidentWithin(OffHeapStore store, double factor, long collectionsBefore, long millis)
            throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        StoreStats s = store.stats();
        while ((s.collections() <= collectionsBefore || s.residentBytes() > factor * s.liveBytes())
                && System.currentTimeMillis() < end) {
            Thread.sleep(20);
            s = store.stats();
        }
        StoreStats last = s;
        assertTrue(s.residentBytes() <= factor * s.liveBytes(),
                () -> "resident " + last.residentBytes() + " > " + factor + " x live " + last.liveBytes() + ": " + last);
        return s;
    }
}
