package io.uffdgc.gc;

import static org.junit.jupiter.api.Assertions.*;

import io.uffdgc.heap.Heap;
import io.uffdgc.heap.HeapConfig;
import io.uffdgc.heap.Mutator;
import io.uffdgc.heap.verify.HeapVerifier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 13.3: collect() keeps its caller's interrupt status, in every mode, and the window
 * still closes. The interrupt lands both before the cycle and inside the window, while the
 * caller waits for the compactors (where the flag used to be cleared by a second get()).
 */
class InterruptStatusTest {
    @ParameterizedTest
    @EnumSource(value = Mode.class, names = {"STW", "COPY", "MOVE", "AUTO"})
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void theCallersInterruptSurvivesEveryCycle(Mode mode) {
        if (mode != Mode.AUTO) UffdAssumptions.assumeMode(mode);
        try (Heap heap = Heap.create(HeapConfig.defaults().withName("interrupt-" + mode).withCapacity(64L << 20)
                     .withMaxHandles(1 << 16));
             Collector collector = Collector.attach(heap, CollectorModesTest.manual())) {
            AtomicInteger closed = new AtomicInteger();
            collector.addListener(new CycleListener() {
                @Override public void cycleCompleted(CycleStats stats) {}

                @Override public void windowOpened(Mode m) { Thread.currentThread().interrupt(); }

                @Override public void windowClosed(Mode m) { closed.incrementAndGet(); }
            });
            try (Mutator m = heap.attach()) {
                ShadowGraph g = new ShadowGraph(m, ShadowGraph.defineNode(heap), 2000, 11);
                for (int cycle = 0; cycle < 12; cycle++) {
                    for (int i = 0; i < 10_000; i++) g.step();
                    long reachable = g.verify();
                    boolean before = cycle % 2 == 0;       // every other cycle: interrupted only inside the window
                    if (before) Thread.currentThread().interrupt();
                    CycleStats s = m.blockingCall(() -> collector.collect(mode));
                    boolean concurrent = s.mode().concurrent();
                    assertEquals(before || concurrent, Thread.interrupted(),
                            "interrupt status after cycle " + cycle + " (" + s.mode() + ")");
                    assertEquals(reachable, g.verify());
                    HeapVerifier.verify(heap);
                    if (concurrent) assertEquals(closed.get(), cycle + 1, "the window closed");
                }
            }
        } finally {
            Thread.interrupted();
        }
    }
}
