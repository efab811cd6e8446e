package io.uffdgc.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.uffdgc.heap.Heap;
import io.uffdgc.heap.Mutator;
import io.uffdgc.heap.layout.RecordLayout;
import io.uffdgc.heap.verify.HeapVerifier;
import io.uffdgc.uffd.gen.ugc_gc_stats;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The roots' forwardings are computed beside the mutators after the tail's concurrent plan and only
 * swapped in by the flip pause (gc/roots.c); a root the mutators change between the two must be
 * forwarded in the pause instead (its card is dirty). Here a second mutator, between the plan
 * and the flip (a {@link CycleListener#planningEnded} that waits for it), changes three roots
 * in four of the first half of the handles: a handle released and its slot reused for a new
 * object, a handle pointed at another (old) object, a new handle for an old object. Every
 * handle must name its expected object after the cycle, in every compaction mode, and the
 * engine must count the changed roots as forwarded in the pause and leave the unchanged half
 * to what was computed ahead. A forwarding that went stale unseen (a write that left its
 * card clean) would leave a handle naming another object.
 */
class RootsForwardedAheadTest {
    private static final int N = 20_000;

    @ParameterizedTest
    @EnumSource(value = Mode.class, names = {"STW", "COPY", "MOVE"})
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void rootsChangedAfterPlanningAreForwardedInThePause(Mode mode) throws Exception {
        UffdAssumptions.assumeMode(mode);
        try (Heap heap = ConcurrentMarkingTest.smallHeap("ahead-" + mode);
             Collector collector = Collector.attach(heap, ConcurrentMarkingTest.concurrent());
             Mutator main = heap.attach()) {
            RecordLayout node = heap.defineRecord("node", 1, 8);
            long[] h = new long[N], dup = new long[N];
            long[] want = new long[N];
            for (int i = 0; i < N; i++) {
                main.release(main.allocate(node));           // garbage first, so every kept object moves
                long other = main.allocate(node);             // reachable only through h[i]'s field
                main.putLong(other, 0, -1 - i);
                h[i] = main.allocate(node);
                main.putLong(h[i], 0, i);
                main.putRef(h[i], 0, other);
                main.release(other);
                want[i] = i;
            }
            CountDownLatch planned = new CountDownLatch(1), changed = new CountDownLatch(1);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread worker = Thread.ofPlatform().name("changer").start(() -> {
                try (Mutator m = heap.attach()) {
                    m.blocking(() -> Latches.await(planned));
                    for (int i = 0; i < N / 2; i++) {
                        switch (i % 4) {
                            case 0 -> {                         // its slot freed, then reused for a new object
                                m.release(h[i]);
                                h[i] = m.allocate(node);
                                m.putLong(h[i], 0, N + i);
                                want[i] = N + i;
                            }
                            case 1 -> {                         // pointed at the old object its field names
                                assertTrue(m.getRefInto(h[i], 0, h[i]));
                                want[i] = -1 - i;
                            }
                            case 2 -> dup[i] = m.duplicate(h[i]); // a second root for an old object
                            default -> {}                       // unchanged: its forwarding computed ahead applies
                        }
                    }
                } catch (Throwable t) {
                    failure.set(t);
                } finally {
                    changed.countDown();                      // (detached by now: the flip may come)
                }
            });
            collector.addListener(new CycleListener() {
                @Override public void cycleCompleted(CycleStats s) {}
                @Override public void planningEnded() {
                    planned.countDown();
                    Latches.await(changed);                           // the FLIP pause waits for the changes
                }
            });
            CycleStats s = main.blockingCall(() -> collector.collect(mode));
            worker.join(TimeUnit.SECONDS.toMillis(Latches.WAIT_SECONDS));
            assertTrue(!worker.isAlive(), "the changer did not finish");
            if (failure.get() != null) throw new AssertionError("the changer failed", failure.get());
            assertEquals(Marking.CONCURRENT, s.marking());
            long ahead = s.engine().get(ugc_gc_stats::roots_ahead), inPause = s.engine().get(ugc_gc_stats::roots_in_pause);
            assertTrue(ahead >= N, "roots computed ahead: " + ahead);
            // Changed: N/8 reused slots, N/8 retargeted, N/8 new handles (in freed slots or fresh ones);
            // the slots sharing their cards are redone with them, the unchanged half is not.
            assertTrue(inPause >= 3L * N / 8, "roots forwarded in the pause: " + inPause + " (ahead " + ahead + ")");
            assertTrue(inPause < N, "the unchanged half was forwarded ahead: " + inPause + " in the pause, of " + (N + N / 8));
            for (int i = 0; i < N; i++) {
                assertEquals(want[i], main.getLong(h[i], 0), "handle " + i + " names another object");
                if (i % 4 == 2 && i < N / 2) assertEquals(i, main.getLong(dup[i], 0), "duplicate " + i);
            }
            main.blocking(() -> HeapVerifier.verify(heap));
        }
    }
}
