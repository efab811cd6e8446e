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
                }
            }
            assertEquals(6, seen.size());
            assertEquals(6, collector.cycles());
        }
    }
}
