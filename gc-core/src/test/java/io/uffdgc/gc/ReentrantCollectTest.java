package io.uffdgc.gc;

import static org.junit.jupiter.api.Assertions.*;

import io.uffdgc.heap.Heap;
import io.uffdgc.heap.HeapConfig;
import io.uffdgc.heap.Mutator;
import io.uffdgc.heap.verify.HeapVerifier;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Issue 13, also: collect() from inside a cycle says so in words; the cycle itself completes. */
@Timeout(60)
class ReentrantCollectTest {
    @Test
    void collectFromWindowOpenedIsRefusedInWordsAndFromCycleCompletedRuns() {
        try (Heap heap = Heap.create(HeapConfig.defaults().withName("reentry").withCapacity(32L << 20));
             Collector c = Collector.attach(heap, CollectorModesTest.manual())) {
            Mode mode = c.resolve(Mode.AUTO);
            UffdAssumptions.assumeMode(Mode.COPY);
            AtomicReference<Throwable> inWindow = new AtomicReference<>();
            AtomicReference<CycleStats> nested = new AtomicReference<>();
            c.addListener(new CycleListener() {
                @Override public void cycleCompleted(CycleStats stats) {
                    if (stats.cycle() == 1) nested.set(c.collect(Mode.STW));  // a new cycle: allowed
                }

                @Override public void windowOpened(Mode m) {
                    try {
                        c.collect(m);
                    } catch (Throwable t) {
                        inWindow.set(t);
                    }
                }
            });
            try (Mutator m = heap.attach()) {
                for (int i = 0; i < 100; i++) m.newLongArray(100);
                m.blockingCall(() -> c.collect(mode));
            }
            Throwable t = inWindow.get();
            assertInstanceOf(IllegalStateException.class, t);
            assertTrue(t.getMessage().contains("a cycle is already running on heap 'reentry'"), t.getMessage());
            assertNotNull(nested.get(), "collect() from cycleCompleted ran a cycle");
            assertEquals(2, c.cycles());
            HeapVerifier.verify(heap);
        }
    }
}
