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
 * and mincore's figure for the heap range) comes back down to what the policy promises for
 * what is still live, in a 1 GiB reservation: at most its ratio times live, or live plus its
 * minimum growth, whichever is more (a store this small, ~8 MB live, may end with up to 4 MiB
 * of garbage deleted after its last cycle, which is no reason for another one).
 */
class MemoryFollowsLiveDataTest {
    /** Resident may exceed live by the policy's ratio, plus the pages a TLAB or a dense page leaves partly used. */
    private static final double FACTOR = LiveRatioPolicy.DEFAULT_RATIO + 0.05;
    /** The same slack on the policy's other bound, live + minimum growth. */
    private static final double GROWTH_SLACK = 1.05;

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
     * Polls stats until a cycle after the deletes has completed and resident is within the
     * policy's bound (see the class), or the time is up; returns the last stats. (Inside a
     * compaction window the heap's own range holds only what was rebuilt so far, so resident
     * alone can read low before any cycle ended.)
     */
    private static StoreStats awaitResidentWithin(OffHeapStore store, double factor, long collectionsBefore, long millis)
            throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        StoreStats s = store.stats();
        while ((s.collections() <= collectionsBefore || s.residentBytes() > bound(factor, s)) && System.currentTimeMillis() < end) {
            Thread.sleep(20);
            s = store.stats();
        }
        StoreStats last = s;
        assertTrue(s.residentBytes() <= bound(factor, s), () -> "resident " + last.residentBytes() + " > max(" + factor
                + " x live, (live + " + LiveRatioPolicy.DEFAULT_MIN_GROWTH + ") x " + GROWTH_SLACK + "), live "
                + last.liveBytes() + ": " + last);
        return s;
    }

    private static double bound(double factor, StoreStats s) {
        return Math.max(factor * s.liveBytes(), GROWTH_SLACK * (s.liveBytes() + LiveRatioPolicy.DEFAULT_MIN_GROWTH));
    }
}
