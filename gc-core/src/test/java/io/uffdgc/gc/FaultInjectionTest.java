package io.uffdgc.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.uffdgc.heap.Heap;
import io.uffdgc.heap.HeapConfig;
import io.uffdgc.uffd.Errno;
import io.uffdgc.uffd.gen.testing.UffdgcTesting;
import io.uffdgc.uffd.gen.ugc_gc_stats;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Failing ioctls (the native test-only injection switch) and a compactor that stops
 * mid-window: every cycle still completes, the failure shows in the statistics, no
 * mutator stays blocked, the heap equals its models and verifies.
 */
class FaultInjectionTest {
    static final int CYCLES = 8;

    @AfterEach
    void clearInjection() { UffdgcTesting.ugc_inject_clear(); }

    static Stream<Arguments> injections() {
        int move = UffdgcTesting.UGC_INJECT_MOVE(), copy = UffdgcTesting.UGC_INJECT_COPY(), zero = UffdgcTesting.UGC_INJECT_ZEROPAGE();
        return Stream.of(
                Arguments.of("MOVE EBUSY -> COPY fallback", Mode.MOVE, move, Errno.EBUSY, 30, 0L,
                        (Predicate<CycleStats>) s -> s.pages().ebusyFallbacks() > 0),
                Arguments.of("MOVE EAGAIN after 1 page", Mode.MOVE, move, Errno.EAGAIN, 30, 4096L,
                        (Predicate<CycleStats>) s -> s.engine().compactorIoctls().eagain() > 0 || s.engine().get(ugc_gc_stats::install_retries) > 0),
                Arguments.of("MOVE ENOMEM -> retry", Mode.MOVE, move, Errno.ENOMEM, 5, 0L,
                        (Predicate<CycleStats>) s -> s.engine().get(ugc_gc_stats::install_retries) > 0),
                Arguments.of("COPY EAGAIN after 1 page", Mode.COPY, copy, Errno.EAGAIN, 30, 4096L,
                        (Predicate<CycleStats>) s -> s.engine().compactorIoctls().eagain() > 0 || s.engine().get(ugc_gc_stats::install_retries) > 0),
                Arguments.of("COPY ENOMEM -> retry", Mode.COPY, copy, Errno.ENOMEM, 5, 0L,
                        (Predicate<CycleStats>) s -> s.engine().get(ugc_gc_stats::install_retries) > 0),
                Arguments.of("ZEROPAGE ENOMEM on free heap", Mode.COPY, zero, Errno.ENOMEM, 3, 0L,
                        (Predicate<CycleStats>) s -> s.faults().failed() > 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("injections")
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void cyclesSurviveFailingIoctls(String name, Mode mode, int kind, int errno, int count, long partial,
                                    Predicate<CycleStats> reported) {
        UffdAssumptions.assumeMode(mode);
        try (Heap heap = smallHeap("inject");
             Collector collector = Collector.attach(heap, CollectorModesTest.manual());
             MutatorHarness mutators = new MutatorHarness(heap, 1, 600)) {
            boolean seen = false;
            for (int c = 0; c < CYCLES; c++) {
                UffdgcTesting.ugc_inject(kind, errno, count, partial);
                CycleStats s = mutators.cycle(collector, mode);
                UffdgcTesting.ugc_inject_clear();
                assertEquals(s.engine().get(ugc_gc_stats::pages_total), s.pages().compacted(), () -> name + ": " + s.engine());
                seen |= reported.test(s);
            }
            assertTrue(seen, name + ": the statistics report the injected failure");
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void anAbandonedCompactorsPagesAreTakenOver() {
        for (Mode mode : new Mode[] {Mode.COPY, Mode.MOVE}) {
            UffdAssumptions.assumeMode(mode); // after the COPY round
            try (Heap heap = smallHeap("abandon");
                 Collector collector = Collector.attach(heap, CollectorModesTest.manual());
                 MutatorHarness mutators = new MutatorHarness(heap, 1, 600)) {
                for (int c = 0; c < CYCLES; c++) {
                    UffdgcTesting.ugc_gc_set_abandon_after(MemorySegment.ofAddress(collector.engine().address()), c * 7L);
                    CycleStats s = mutators.cycle(collector, mode);
                    assertEquals(1, s.engine().get(ugc_gc_stats::abandoned), () -> mode + " cycle " + s);
                    assertEquals(s.engine().get(ugc_gc_stats::pages_total), s.pages().compacted());
                    assertEquals(0, s.engine().get(ugc_gc_stats::errors));
                }
            }
        }
    }
    /**
     * A compactor whose downcall fails (its buffer's mmap, injected) has ended its claims:
     * the cycle waits for the other compactors, finish compacts what was left, and only then
     * does collect() throw, naming the failure; the window is closed, the heap verifies and
     * the mutators' graphs are intact, and the next cycle runs.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aFailedCompactorLeavesTheWindowClosedAndTheHeapIntact() {
        for (Mode mode : new Mode[] {Mode.COPY, Mode.MOVE}) {
            UffdAssumptions.assumeMode(mode); // after the COPY round
            try (Heap heap = smallHeap("compactor-fails");
                 Collector collector = Collector.attach(heap, CollectorModesTest.manual().withCompactorThreads(2));
                 MutatorHarness mutators = new MutatorHarness(heap, 1, 600)) {
                CycleListener failOneReserve = new CycleListener() {
                    @Override public void cycleCompleted(CycleStats stats) {}

                    @Override public void windowOpened(Mode m) { // compactors start after this returns
                        UffdgcTesting.ugc_inject(UffdgcTesting.UGC_INJECT_RESERVE(), Errno.ENOMEM, 1, 0);
                    }
                };
                collector.addListener(failOneReserve);
                CollectionFailedException e = assertThrows(CollectionFailedException.class, () -> collector.collect(mode));
                UffdgcTesting.ugc_inject_clear();
                assertTrue(e.getMessage().contains("compactor") && e.getMessage().contains("ENOMEM"), e::getMessage);
                assertEquals(0, collector.engine().unclaimedPages(), "the window is closed");
                mutators.afterCycle();                       // graphs checked, heap verified
                collector.removeListener(failOneReserve);
                CycleStats next = mutators.cycle(collector, mode);
                assertEquals(next.engine().get(ugc_gc_stats::pages_total), next.pages().compacted());
            }
        }
    }

    /** The heap every test here runs on: 64 MiB, 65,536 handles. */
    private static Heap smallHeap(String name) {
        return Heap.create(HeapConfig.defaults().withName(name).withCapacity(64L << 20).withMaxHandles(1 << 16));
    }
}
