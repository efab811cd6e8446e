package io.uffdgc.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.uffdgc.heap.Heap;
import io.uffdgc.heap.HeapConfig;
import io.uffdgc.uffd.gen.ugc_gc_stats;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Mutators read, write and allocate during every window (dense prefix on: after the first
 * cycle the packed bottom stays in place); their heap graphs equal their models after each cycle.
 */
class ConcurrentMutatorsTest {
    static final int CYCLES = 40;

    @ParameterizedTest
    @EnumSource(value = Mode.class, names = {"STW", "COPY", "MOVE"})
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void shadowModelsHoldThroughCycles(Mode mode) {
        run(mode, FaultHandling.THREADS);
    }

    /** The same, with every fault resolved by the faulting mutator itself, in the SIGBUS handler. */
    @ParameterizedTest
    @EnumSource(value = Mode.class, names = {"COPY", "MOVE"})
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void shadowModelsHoldWhenMutatorsServeTheirOwnFaults(Mode mode) {
        run(mode, FaultHandling.SIGBUS);
    }

    private static void run(Mode mode, FaultHandling handling) {
        UffdAssumptions.assumeMode(mode);
        try (Heap heap = Heap.create(HeapConfig.defaults().withName("concurrent-" + mode).withCapacity(64L << 20)
                     .withMaxHandles(1 << 16));
             Collector collector = Collector.attach(heap, CollectorModesTest.manual().withFaultThreads(2).withDensePercent(90)
                     .withFaultHandling(handling));
             MutatorHarness mutators = new MutatorHarness(heap, 2, 400)) {
            assumeTrue(collector.faultHandling() == handling, () -> "fault handling " + handling + " unavailable here");
            long faults = 0, byFaults = 0;
            for (int c = 0; c < CYCLES; c++) {
                CycleStats s = mutators.cycle(collector, mode);
                assertEquals(0, s.engine().get(ugc_gc_stats::errors), () -> "engine errors: " + s.engine());
                assertEquals(s.engine().get(ugc_gc_stats::pages_total), s.pages().compacted());
                faults += s.faults().served();
                byFaults += s.pages().byFaults();
            }
            assertTrue(mutators.steps > CYCLES, "mutators made progress: " + mutators.steps + " steps");
            if (mode.concurrent())
                assertTrue(faults > 0, "mutators faulted during windows (to-space or free heap); pages by faults " + byFaults);
        }
    }
}
