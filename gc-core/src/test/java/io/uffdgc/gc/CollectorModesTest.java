package io.uffdgc.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.uffdgc.gc.policy.CollectionPolicy;
import io.uffdgc.heap.Heap;
import io.uffdgc.heap.HeapConfig;
import io.uffdgc.heap.Mutator;
import io.uffdgc.heap.verify.HeapVerifier;
import io.uffdgc.heap.verify.VerificationResult;
import io.uffdgc.uffd.gen.ugc_gc_stats;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** One mutator, cycles in each mode: the heap equals its model and verifies after every cycle. */
class CollectorModesTest {
    static CollectorConfig manual() { return CollectorConfig.defaults().withPolicy(CollectionPolicy.manual()); }

    @ParameterizedTest
    @EnumSource(value = Mode.class, names = {"STW", "COPY", "MOVE"})
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void cyclesKeepTheGraphAndFreeGarbage(Mode mode) {
        UffdAssumptions.assumeMode(mode);
        try (Heap heap = Heap.create(HeapConfig.defaults().withName("modes-" + mode).withCapacity(64L << 20)
                     .withMaxHandles(1 << 16));
             Collector collector = Collector.attach(heap, manual())) {
            List<CycleStats> seen = new ArrayList<>();
            collector.addListener(seen::add);
            try (Mutator m = heap.attach()) {
                ShadowGraph g = new ShadowGraph(m, ShadowGraph.defineNode(heap), 2000, 42);
                for (int cycle = 0; cycle < 6; cycle++) {
                    for (int i = 0; i < 20_000; i++) g.step();
                    long before = g.verify();
                    long usedBefore = heap.top();
                    CycleStats s = collector.collect(mode);
                    VerificationResult v = HeapVerifier.verify(heap);
                    assertEquals(before, g.verify(), "reachable objects after the cycle");
                    assertEquals(mode, s.mode());
                    assertEquals(usedBefore, s.memory().usedBefore());
                    assertEquals(heap.top(), s.memory().usedAfter());
                    assertEquals(v.objectBytes(), s.memory().liveBytes(), "live bytes = what the verifier walks");
                    assertEquals(v.reachableObjects(), v.objects(), "nothing unreachable survives compaction");
                    assertEquals(s.engine().get(ugc_gc_stats::pages_total), s.pages().compacted(), "every to-space page compacted once");
                    assertEquals(0, s.engine().get(ugc_gc_stats::errors), () -> "engine errors: " + s.engine());
                    assertTrue(s.memory().freedBytes() > 0, "garbage was freed");
                    if (mode == Mode.STW) assertEquals(0, s.timings().windowNanos());
                    if (mode == Mode.MOVE) assertEquals(s.pages().compacted(), s.pages().moved() + s.pages().copied());
                    if (mode == Mode.COPY) assertEquals(s.pages().compacted(), s.pages().copied());
                    assertCpuTimesFit(s);
                }
            }
            assertEquals(6, seen.size());
            assertEquals(6, collector.cycles());
        }
    }

    /** getrusage's microseconds against System.nanoTime: a part's CPU may exceed its wall time by rounding only. */
    private static final long ROUNDING_NANOS = 10_000;

    /** Each part's CPU time was measured on the thread that ran it: some, and never more than its wall time. */
    static void assertCpuTimesFit(CycleStats s) {
        CycleStats.Cpu c = s.cpu();
        CycleStats.Timings t = s.timings();
        assertTrue(c.mark().totalNanos() > 0 && c.mark().totalNanos() <= t.markNanos() + ROUNDING_NANOS, () -> "mark " + c);
        assertTrue(c.plan().totalNanos() <= t.planNanos() + ROUNDING_NANOS, () -> "plan " + c);
        assertTrue(c.flip().totalNanos() > 0 && c.flip().totalNanos() <= t.flipNanos() + ROUNDING_NANOS, () -> "flip " + c);
        assertTrue(c.finish().totalNanos() <= t.finishNanos() + ROUNDING_NANOS, () -> "finish " + c);
        assertTrue(c.compaction(s.mode()).totalNanos() > 0, () -> "compaction " + c);
        if (s.mode().concurrent()) {
            assertTrue(c.compactors().totalNanos() > 0, () -> "compactors " + c);
            assertTrue(c.compactorsWallNanos() > 0 && c.compactorsWallNanos() <= t.windowNanos(), () -> "one compactor, inside the window: " + c);
            assertTrue(c.compactors().totalNanos() <= c.compactorsWallNanos() + ROUNDING_NANOS, () -> "compactors " + c);
        } else {
            assertEquals(0, c.compactors().totalNanos(), () -> "STW runs no compactor: " + c);
        }
    }
}
