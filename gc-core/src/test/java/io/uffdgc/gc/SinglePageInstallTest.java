package io.uffdgc.gc;

import static org.junit.jupiter.api.Assertions.*;

import io.uffdgc.heap.Heap;
import io.uffdgc.heap.HeapConfig;
import io.uffdgc.heap.verify.HeapVerifier;
import io.uffdgc.uffd.gen.ugc_gc_stats;
import java.lang.foreign.Arena;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * MOVE mode with {@link CollectorConfig#copySinglePages()}: the page a fault asks for is
 * installed alone, by COPY when the switch is on (no TLB shootdown) and by MOVE when it is
 * off (pure MOVE); runs move either way. A fault is made certain by touching pages (from a
 * native thread) as the window opens, before the compactors start.
 */
class SinglePageInstallTest {
    private static final int[] TOUCHED = {100, 900, 1500};

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aFaultedPageIsCopiedOrMovedAsConfigured(boolean copySinglePages) throws Exception {
        UffdAssumptions.assumeMode(Mode.MOVE);
        CollectorConfig cc = CollectorModesTest.manual().withDensePercent(0).withCopySinglePages(copySinglePages);
        try (Heap heap = Heap.create(HeapConfig.defaults().withName("single-page-" + copySinglePages).withCapacity(16L << 20));
             Collector c = Collector.attach(heap, cc)) {
            StripedArrays arrays = StripedArrays.fill(heap, 3000);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            c.addListener(new CycleListener() {
                @Override public void cycleCompleted(CycleStats stats) {}

                @Override public void windowOpened(Mode md) {
                    // Compactors start after this returns: each touch is a fault its service compacts alone.
                    try (Arena arena = Arena.ofConfined()) {
                        for (int page : TOUCHED) StripedArrays.touch(heap, page, arena);
                    } catch (Throwable t) {
                        failure.set(t);
                    }
                }
            });
            CycleStats s = c.collect(Mode.MOVE);
            if (failure.get() != null) throw new AssertionError(failure.get());
            long byFaults = s.engine().get(ugc_gc_stats::pages_by_faults);
            long copied = s.engine().get(ugc_gc_stats::pages_copied);
            long moved = s.engine().get(ugc_gc_stats::pages_moved);
            assertTrue(byFaults >= TOUCHED.length, () -> "each touch was a fault served first: " + s.engine());
            assertTrue(moved > 1000, () -> "the runs moved: " + s.engine());
            if (copySinglePages)
                assertTrue(copied >= byFaults, () -> "every faulted page was copied: " + s.engine());
            else
                assertEquals(s.engine().get(ugc_gc_stats::ebusy_fallbacks), copied, () -> "pure MOVE copies only on EBUSY: " + s.engine());
            HeapVerifier.verify(heap);
            arrays.check(heap);
        }
    }
}
