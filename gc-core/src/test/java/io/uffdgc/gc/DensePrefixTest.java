package io.uffdgc.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.uffdgc.heap.Heap;
import io.uffdgc.heap.HeapConfig;
import io.uffdgc.heap.Mutator;
import io.uffdgc.heap.verify.HeapChecksum;
import io.uffdgc.heap.verify.HeapVerifier;
import io.uffdgc.heap.verify.VerificationResult;
import io.uffdgc.uffd.Errno;
import io.uffdgc.uffd.gen.testing.UffdgcTesting;
import io.uffdgc.uffd.gen.ugc_gc_stats;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The dense prefix: pages of a heap built dense-first stay in place (MOVE moves them
 * back with no copy, COPY copies them from their own page, STW leaves them), their
 * dead gaps become fillers, their references are forwarded; the heap's content is
 * identical before and after every cycle and verifies.
 */
class DensePrefixTest {
    static final long OLD = 6L << 20, YOUNG = 4L << 20;

    @AfterEach
    void clearInjection() { UffdgcTesting.ugc_inject_clear(); }

    static Heap newHeap(String name) {
        return Heap.create(HeapConfig.defaults().withName(name).withCapacity(64L << 20).withMaxHandles(1 << 16));
    }

    /** A cycle that must keep the content, leave no unreachable object and report no engine error. */
    static CycleStats checkedCycle(Heap heap, Collector collector, Mode mode) {
        HeapChecksum before = HeapChecksum.of(heap);
        CycleStats s = collector.collect(mode);
        VerificationResult v = HeapVerifier.verify(heap);
        assertEquals(before, HeapChecksum.of(heap), () -> mode + ": content changed by " + s);
        assertEquals(v.reachableObjects(), v.objects(), "nothing unreachable survives");
        assertEquals(v.objectBytes(), s.memory().liveBytes());
        assertEquals(s.engine().get(ugc_gc_stats::pages_total), s.pages().compacted(), () -> "every page once: " + s.engine());
        assertEquals(0, s.engine().get(ugc_gc_stats::errors), () -> "engine errors: " + s.engine());
        return s;
    }

    @ParameterizedTest
    @EnumSource(value = Mode.class, names = {"STW", "COPY", "MOVE"})
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void denseFirstHeapKeepsItsPagesInPlace(Mode mode) {
        UffdAssumptions.assumeMode(mode);
        try (Heap heap = newHeap("dense-" + mode);
             Collector collector = Collector.attach(heap, CollectorModesTest.manual().withDensePercent(90))) {
            try (Mutator m = heap.attach()) {
                DenseHeap.build(heap, m, OLD, 0.03, YOUNG, 0.2, 7, () -> collector.collect(mode));
            }
            CycleStats s = checkedCycle(heap, collector, mode);
            assertTrue(s.pages().inPlace() >= 64, () -> "a run of old pages stays in place: " + s);
            assertTrue(s.memory().freedBytes() > 0);
            if (mode == Mode.MOVE) assertEquals(s.pages().compacted(), s.pages().moved() + s.pages().copied());
            // Later cycles: the bottom is now packed; new deaths in the old region make gaps inside it.
            for (int c = 0; c < 3; c++) {
                try (Mutator m = heap.attach()) {
                    DenseHeap.build(heap, m, 1L << 20, 0.02, 1L << 20, 0.1, 100 + c, () -> {});
                }
                CycleStats later = checkedCycle(heap, collector, mode);
                assertTrue(later.pages().inPlace() > 0, () -> "packed bottom stays: " + later);
            }
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void offMeansEveryPageIsCompacted() {
        UffdAssumptions.assumeMove();
        try (Heap heap = newHeap("dense-off");
             Collector collector = Collector.attach(heap, CollectorModesTest.manual().withDensePercent(0))) {
            try (Mutator m = heap.attach()) {
                DenseHeap.build(heap, m, OLD, 0.03, YOUNG, 0.2, 7, () -> collector.collect(Mode.MOVE));
            }
            CycleStats s = checkedCycle(heap, collector, Mode.MOVE);
            assertEquals(0, s.pages().inPlace());
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void ebusyOnTheInPlaceMoveFallsBackToCopy() {
        UffdAssumptions.assumeMove();
        try (Heap heap = newHeap("dense-ebusy");
             Collector collector = Collector.attach(heap, CollectorModesTest.manual().withDensePercent(90))) {
            try (Mutator m = heap.attach()) {
                DenseHeap.build(heap, m, OLD, 0.03, YOUNG, 0.2, 7, () -> collector.collect(Mode.MOVE));
            }
            // The first MOVE ioctls of the window are the dense prefix's.
            UffdgcTesting.ugc_inject(UffdgcTesting.UGC_INJECT_MOVE(), Errno.EBUSY, 3, 0);
            CycleStats s = checkedCycle(heap, collector, Mode.MOVE);
            assertTrue(s.pages().ebusyFallbacks() > 0, () -> "EBUSY counted: " + s);
            assertTrue(s.pages().inPlace() > 0 && s.pages().copied() > 0, () -> "in-place pages copied instead: " + s);
            assertEquals(s.pages().compacted(), s.pages().moved() + s.pages().copied());
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void wholeDenseBlocksMoveTwoMegabytesAtATime() {
        UffdAssumptions.assumeMove();
        try (Heap heap = newHeap("dense-huge");
             Collector collector = Collector.attach(heap,
                     CollectorModesTest.manual().withDensePercent(80).withHugePages(true))) {
            try (Mutator m = heap.attach()) {
                DenseHeap.build(heap, m, 12L << 20, 0.0, YOUNG, 0.2, 9, () -> collector.collect(Mode.MOVE));
            }
            CycleStats s = checkedCycle(heap, collector, Mode.MOVE);
            assertTrue(s.engine().get(ugc_gc_stats::huge_moves) >= 4, () -> "2 MiB blocks of the dense prefix moved whole: " + s);
        }
    }

    /**
     * Regression: a short dense prefix (tens of pages) under a large fragmented region.
     * MOVE builds to-space pages in consumed from-space pages found in a window above the
     * lowest page not yet gone; dense pages once ended below "gone" (the in-place install
     * marked them gone, then releasing the page's reader counted them down once more), so
     * the window stuck at the bottom and most pages went to fresh memory.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shortPrefixStillRecyclesFromSpace() {
        UffdAssumptions.assumeMove();
        try (Heap heap = Heap.create(HeapConfig.defaults().withName("dense-short").withCapacity(256L << 20)
                     .withMaxHandles(1 << 16));
             Collector collector = Collector.attach(heap, CollectorModesTest.manual().withDensePercent(90))) {
            try (Mutator m = heap.attach()) {
                DenseHeap.buildRecords(heap, m, 256L << 10, 0.0, 96L << 20, 0.2, 5, () -> collector.collect(Mode.MOVE));
            }
            CycleStats s = checkedCycle(heap, collector, Mode.MOVE);
            assertTrue(s.pages().inPlace() > 0 && s.pages().inPlace() < 128, () -> "a short prefix: " + s);
            // One run per compactor may find nothing consumed yet; everything after recycles.
            assertTrue(s.pages().fresh() <= 2L * CollectorModesTest.manual().runPages(),
                    () -> "fresh pages " + s.pages().fresh() + " of " + s.engine().get(ugc_gc_stats::pages_total) + ": " + s.engine());
        }
    }
}
