package io.uffdgc.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.uffdgc.gc.policy.CollectionPolicy;
import io.uffdgc.heap.Heap;
import io.uffdgc.heap.HeapConfig;
import io.uffdgc.heap.Mutator;
import io.uffdgc.heap.layout.RecordLayout;
import io.uffdgc.heap.verify.HeapVerifier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * More roots than one thread forwards alone in the flip (flip.c, FWD_SPLIT_ROOTS: a helper
 * pthread takes the upper half): every handle, in both halves and at the seam, still names
 * its own object after cycles in every mode, with garbage between the objects so that
 * every one of them moves.
 */
class ManyRootsTest {
    private static final int ROOTS = 50_000;

    @ParameterizedTest
    @EnumSource(value = Mode.class, names = {"STW", "COPY", "MOVE"})
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void everyRootNamesItsObjectAfterTheFlip(Mode mode) {
        UffdAssumptions.assumeMode(mode);
        try (Heap heap = Heap.create(HeapConfig.defaults().withName("roots-" + mode).withCapacity(64L << 20)
                .withMaxHandles(1 << 17));
             Collector collector = Collector.attach(heap, CollectorConfig.defaults().withPolicy(CollectionPolicy.manual()))) {
            RecordLayout node = heap.defineRecord("node", 0, 16);
            try (Mutator m = heap.attach()) {
                long[] roots = new long[ROOTS];
                for (int i = 0; i < ROOTS; i++) {
                    m.release(m.allocate(node));                 // garbage before each kept object
                    roots[i] = m.allocate(node);
                    m.putLong(roots[i], 0, i);
                    m.putLong(roots[i], 8, ~(long) i);
                }
                for (int cycle = 0; cycle < 2; cycle++) {
                    CycleStats[] s = new CycleStats[1];
                    m.blocking(() -> s[0] = collector.collect(mode));   // a mutator waiting for the cycle waits blocking
                    assertEquals(mode, s[0].mode());
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
