package io.uffdgc.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.uffdgc.gc.policy.CollectionPolicy;
import io.uffdgc.heap.Heap;
import io.uffdgc.heap.HeapConfig;
import io.uffdgc.heap.Mutator;
import io.uffdgc.heap.layout.RecordLayout;
import io.uffdgc.heap.verify.HeapVerifier;
import io.uffdgc.uffd.gen.ugc_gc_stats;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Many roots, forwarded both ways (gc/roots.c): computed ahead after a concurrent plan and
 * applied in the flip, or, after a stop-the-world plan, forwarded in the flip by two threads
 * (more roots than FWD_SPLIT_ROOTS: a helper pthread takes the upper half). Every handle, in
 * both halves and at the seam, still names its own object after cycles in every mode: the
 * first objects packed (a dense prefix, which does not move) and garbage between the others,
 * so that every one of those moves.
 */
class ManyRootsTest {
    private static final int ROOTS = 50_000, DENSE = 5_000;

    static Stream<Arguments> modesAndMarkings() {
        return Stream.of(Mode.STW, Mode.COPY, Mode.MOVE)
                .flatMap(mode -> Stream.of(Marking.values()).map(marking -> Arguments.of(mode, marking)));
    }

    @ParameterizedTest
    @MethodSource("modesAndMarkings")
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void everyRootNamesItsObjectAfterTheFlip(Mode mode, Marking marking) {
        UffdAssumptions.assumeMode(mode);
        try (Heap heap = Heap.create(HeapConfig.defaults().withName("roots-" + mode + "-" + marking).withCapacity(64L << 20)
                .withMaxHandles(1 << 17));
             Collector collector = Collector.attach(heap,
                     CollectorConfig.defaults().withPolicy(CollectionPolicy.manual()).withMarking(marking))) {
            RecordLayout node = heap.defineRecord("node", 0, 16);
            try (Mutator m = heap.attach()) {
                long[] roots = new long[ROOTS];
                for (int i = 0; i < ROOTS; i++) {
                    // The first DENSE with no garbage between: a dense prefix, forwarded as itself.
                    if (i >= DENSE) m.release(m.allocate(node));    // garbage before each kept object
                    roots[i] = m.allocate(node);
                    m.putLong(roots[i], 0, i);
                    m.putLong(roots[i], 8, ~(long) i);
                }
                for (int cycle = 0; cycle < 2; cycle++) {
                    CycleStats[] s = new CycleStats[1];
                    m.blocking(() -> s[0] = collector.collect(mode));   // a mutator waiting for the cycle waits blocking
                    assertEquals(mode, s[0].mode());
                    assertEquals(marking, s[0].marking());
                    assertTrue(s[0].pages().inPlace() > 0, "a dense prefix: " + s[0].pages());
                    long ahead = s[0].engine().get(ugc_gc_stats::roots_ahead);
                    long inPause = s[0].engine().get(ugc_gc_stats::roots_in_pause);
                    if (marking == Marking.CONCURRENT) {
                        assertTrue(ahead >= ROOTS, "roots computed ahead: " + ahead);
                        assertEquals(0, inPause, "no root changed between the plan and the flip");
                    } else {
                        assertEquals(0, ahead, "a stop-the-world plan computes nothing ahead");
                        assertTrue(inPause >= ROOTS, "roots forwarded in the pause: " + inPause);
                    }
                    for (int i = 0; i < ROOTS; i++) {
                        assertEquals(i, m.getLong(roots[i], 0), "root " + i + " after cycle " + cycle);
                        assertEquals(~(long) i, m.getLong(roots[i], 8), "root " + i + " after cycle " + cycle);
                    }
                    HeapVerifier.verify(heap);
                }
            }
        }
    }
}
