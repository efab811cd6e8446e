package io.uffdgc.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.uffdgc.heap.Heap;
import io.uffdgc.heap.HeapConfig;
import io.uffdgc.heap.Mutator;
import io.uffdgc.heap.internal.HeapInternals;
import io.uffdgc.heap.verify.HeapVerifier;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * N marking threads mark exactly the set one marks. Two heaps are built alike from one seed
 * (one mutator, the same allocations, so the same addresses), one collected with one marking
 * thread and one with n; compaction slides the marked objects down in address order, so the
 * heaps are byte for byte equal afterwards exactly when both markings found the same objects
 * (a missed object would be compacted over, an extra one kept). No mutator runs during the
 * cycles, so nothing but the marking differs.
 */
class ParallelMarkingTest {
    private static final long SEED = 8_008;

    @ParameterizedTest
    @CsvSource({"STOP_THE_WORLD, 2", "STOP_THE_WORLD, 3", "CONCURRENT, 2", "CONCURRENT, 3"})
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void nThreadsMarkTheSameObjectsAsOne(Marking marking, int threads) {
        CollectorConfig one = CollectorModesTest.manual().withMarking(marking).withDensePercent(0);
        try (Heap a = heap("mark-one"); Heap b = heap("mark-" + threads);
             Collector ca = Collector.attach(a, one); Collector cb = Collector.attach(b, one.withMarkThreads(threads));
             Mutator ma = a.attach(); Mutator mb = b.attach()) {
            // This thread is a mutator of both heaps: a cycle it runs counts it as stopped.
            ShadowGraph ga = graph(ma, a), gb = graph(mb, b);
            for (int cycle = 0; cycle < 3; cycle++) {
                CycleStats sa = ca.collect(Mode.STW), sb = cb.collect(Mode.STW);
                assertEquals(sa.memory().liveObjects(), sb.memory().liveObjects(), "live objects, cycle " + cycle);
                assertEquals(sa.memory().liveBytes(), sb.memory().liveBytes(), "live bytes, cycle " + cycle);
                assertTrue(sa.memory().liveBytes() < sa.memory().usedBefore() - Heap.START, "the heap had garbage");
                assertEquals(a.top(), b.top(), "heap top after cycle " + cycle);
                MemorySegment ha = HeapInternals.of(a).segment().asSlice(0, a.top());
                MemorySegment hb = HeapInternals.of(b).segment().asSlice(0, b.top());
                assertEquals(-1, ha.mismatch(hb), "first differing byte after cycle " + cycle);
                HeapVerifier.verify(b);
                for (int i = cycle; i < ROOTS; i += 2) { // more garbage, in a heap compacted before
                    ga.replaceRoot(i, 20);
                    gb.replaceRoot(i, 20);
                }
            }
        }
    }

    private static final int ROOTS = 4_000;

    private static Heap heap(String name) {
        return Heap.create(HeapConfig.defaults().withName(name).withCapacity(64L << 20).withMaxHandles(1 << 16));
    }

    /** Random structures of which every third was replaced (garbage). */
    private static ShadowGraph graph(Mutator m, Heap heap) {
        ShadowGraph g = new ShadowGraph(m, ShadowGraph.defineNode(heap), ROOTS, SEED);
        for (int i = 0; i < ROOTS; i += 3) g.replaceRoot(i, 30);
        return g;
    }
}
