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
 * What the mutators allocate after remark (the tail) is live and slides down right after the
 * marked data, planned in two steps (gc/plan_tail.c): what came before the TAIL pause beside the
 * mutators, what came after it inside the flip. A second mutator allocates a batch at each point
 * ({@link CycleListener#markingEnded}, before planning; {@link CycleListener#planningEnded},
 * before the flip), each object referring to an old object and to the batch before, so a
 * wrong slide or a wrong reference fix-up in either step names the wrong object. Garbage
 * below makes every object move. Every mode; the engine must count each batch in its step.
 */
class TailPlanTest {
    private static final int OLD = 20_000, BATCH = 5_000;

    @ParameterizedTest
    @EnumSource(value = Mode.class, names = {"STW", "COPY", "MOVE"})
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void objectsAllocatedAfterRemarkAreSlidAfterTheMarkedData(Mode mode) throws Exception {
        UffdAssumptions.assumeMode(mode);
        try (Heap heap = ConcurrentMarkingTest.smallHeap("tail-" + mode);
             Collector collector = Collector.attach(heap, ConcurrentMarkingTest.concurrent());
             Mutator main = heap.attach()) {
            RecordLayout node = heap.defineRecord("node", 2, 8);   // refs: [0] an old object, [1] the one before
            long[] old = new long[OLD];
            for (int i = 0; i < OLD; i++) {
                main.release(main.allocate(node));                  // garbage first, so every kept object moves
                old[i] = main.allocate(node);
                main.putLong(old[i], 0, i);
            }
            long[][] batch = new long[2][BATCH];
            CountDownLatch[] go = {new CountDownLatch(1), new CountDownLatch(1)};
            CountDownLatch[] done = {new CountDownLatch(1), new CountDownLatch(1)};
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread worker = Thread.ofPlatform().name("allocator").start(() -> {
                try (Mutator m = heap.attach()) {
                    for (int b = 0; b < 2; b++) {
                        int step = b;
                        m.blocking(() -> Latches.await(go[step]));
                        try {
                            for (int i = 0; i < BATCH; i++) {
                                long o = m.allocate(node);
                                m.putLong(o, 0, value(step, i));
                                m.putRef(o, 0, old[(i * 7 + step) % OLD]);
                                if (i > 0) m.putRef(o, 1, batch[step][i - 1]);
                                batch[step][i] = o;
                            }
                        } finally {
                            done[step].countDown();
                        }
                    }
                } catch (Throwable t) {
                    failure.set(t);
                    for (CountDownLatch d : done) d.countDown();
                }
            });
            collector.addListener(new CycleListener() {
                @Override public void cycleCompleted(CycleStats s) {}
                @Override public void markingEnded() { step(0); }    // before the concurrent plan: ahead of TAIL
                @Override public void planningEnded() { step(1); }   // after the tail's plan: planned in the flip
                private void step(int b) {
                    go[b].countDown();
                    Latches.await(done[b]);
                }
            });
            CycleStats s = main.blockingCall(() -> collector.collect(mode));
            worker.join(TimeUnit.SECONDS.toMillis(Latches.WAIT_SECONDS));
            assertTrue(!worker.isAlive(), "the allocator did not finish");
            if (failure.get() != null) throw new AssertionError("the allocator failed", failure.get());
            long objectBytes = node.sizeBytes();
            long ahead = s.engine().get(ugc_gc_stats::tail_ahead_bytes), inFlip = s.engine().get(ugc_gc_stats::tail_bytes);
            assertTrue(ahead >= BATCH * objectBytes, "planned beside the mutators: " + ahead + " bytes");
            assertTrue(inFlip >= BATCH * objectBytes, "planned in the flip: " + inFlip + " bytes");
            assertTrue(s.pauses().stream().anyMatch(p -> p.kind() == CyclePause.Kind.TAIL), "a TAIL pause: " + s.pauses());
            // Packed: the live data is the old objects, both batches and nothing else (no gap left).
            long live = s.memory().liveBytes();
            assertTrue(live >= (OLD + 2L * BATCH) * objectBytes, "live " + live);
            assertEquals(Heap.START + live, s.memory().usedAfter(), "the heap ends packed: no gap before or in the tail");
            for (int b = 0; b < 2; b++) {
                for (int i = 0; i < BATCH; i++) {
                    long o = batch[b][i];
                    assertEquals(value(b, i), main.getLong(o, 0), "batch " + b + " object " + i);
                    long ref = main.getRef(o, 0);
                    assertEquals((i * 7 + b) % OLD, main.getLong(ref, 0), "batch " + b + " object " + i + "'s old object");
                    main.release(ref);
                    if (i > 0) {
                        long prev = main.getRef(o, 1);
                        assertEquals(value(b, i - 1), main.getLong(prev, 0), "batch " + b + " object " + i + "'s predecessor");
                        main.release(prev);
                    }
                }
            }
            main.blocking(() -> HeapVerifier.verify(heap));
        }
    }

    private static long value(int batch, int i) { return (batch + 1L) << 32 | i; }
}
