package io.uffdgc.bench.compaction;

import static org.junit.jupiter.api.Assertions.*;

import io.uffdgc.gc.Collector;
import io.uffdgc.gc.CollectorConfig;
import io.uffdgc.gc.CycleListener;
import io.uffdgc.gc.CycleStats;
import io.uffdgc.gc.FaultHandling;
import io.uffdgc.gc.Mode;
import io.uffdgc.gc.policy.CollectionPolicy;
import io.uffdgc.heap.Heap;
import io.uffdgc.heap.HeapConfig;
import io.uffdgc.heap.Mutator;
import io.uffdgc.heap.verify.HeapVerifier;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The fault probe times reads of pages that are not installed yet, in both fault-handling
 * modes: its reads faulted (the engine served at least half as many faults as it timed; a page
 * can be installed between the probe's check and its read)
 * and the heap is intact after the window.
 */
class FaultProbeTest {
    @ParameterizedTest
    @EnumSource(FaultHandling.class)
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void theProbeTimesFaultsOfTheWindow(FaultHandling handling) throws Exception {
        try (Heap heap = Heap.create(HeapConfig.defaults().withName("probe-" + handling).withCapacity(128L << 20));
             Collector c = Collector.attach(heap, CollectorConfig.defaults().withPolicy(CollectionPolicy.manual())
                     .withFaultHandling(handling))) {
            long[] kept = new long[20_000];
            try (Mutator m = heap.attach()) {
                for (int i = 0; i < kept.length; i++) {
                    long a = m.newLongArray(500);
                    m.putLongElement(a, 0, i);
                    if (i % 2 == 0) m.release(a);      // garbage between, so every page moves
                    else kept[i] = a;
                }
            }
            FaultProbe probe = new FaultProbe(TimeUnit.MICROSECONDS.toNanos(20), 1);
            Histogram[] stalls = new Histogram[1];
            c.addListener(new CycleListener() {
                @Override public void cycleCompleted(CycleStats s) {}

                @Override public void windowOpened(Mode m) { probe.start(heap.base() + heap.start(), heap.base() + heap.top()); }

                @Override public void windowClosed(Mode m) {
                    try {
                        stalls[0] = probe.stop();
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                }
            });
            CycleStats s = c.collect(Mode.COPY);
            assertTrue(stalls[0].getTotalCount() > 0, "the probe found pages not installed yet during a "
                    + s.timings().windowNanos() / 1e6 + " ms window");
            // A page may be installed between the probe's residency check and its read (then that
            // read is short and no fault): most reads, not all, are faults.
            assertTrue(2 * s.faults().served() >= stalls[0].getTotalCount(), () -> "the timed reads faulted: "
                    + stalls[0].getTotalCount() + " reads, " + s.faults().served() + " faults");
            HeapVerifier.verify(heap);
            try (Mutator m = heap.attach()) {
                for (int i = 1; i < kept.length; i += 2) assertEquals(i, m.getLongElement(kept[i], 0));
            }
        }
    }
}
