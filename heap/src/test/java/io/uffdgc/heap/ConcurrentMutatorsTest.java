package io.uffdgc.heap;

import static org.junit.jupiter.api.Assertions.*;

import io.uffdgc.heap.layout.RecordLayout;
import io.uffdgc.heap.verify.HeapVerifier;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Four mutator threads (on two cores) apply random operations, each to its own model,
 * while another thread requests heap safepoints and verifies the heap over and over.
 */
class ConcurrentMutatorsTest {
    private static final int THREADS = 4, OPS = 150_000;

    @Test
    @Timeout(120)
    void mutatorsAndRepeatedSafepointsAgree() throws Exception {
        try (Heap heap = Heap.create(HeapLifecycleTest.small("concurrent").withCapacity(256L << 20).withTlabBytes(2048))) {
            RecordLayout node = heap.defineRecord("Node", GraphModel.REFS, 8);
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            CountDownLatch done = new CountDownLatch(THREADS);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                long seed = 1234 + t;
                Thread th = new Thread(() -> {
                    try (Mutator m = heap.attach()) {
                        GraphModel model = new GraphModel(m, node);
                        SplittableRandom rnd = new SplittableRandom(seed);
                        for (int k = 0; k < OPS; k++) {
                            model.apply(rnd.nextInt() & Integer.MAX_VALUE);
                            if (k % 5000 == 0) m.blocking(Thread::yield); // sometimes out of the heap
                        }
                        model.check();
                    } catch (Throwable e) {
                        failures.add(e);
                    } finally {
                        done.countDown();
                    }
                }, "mutator-" + t);
                threads.add(th);
                th.start();
            }
            AtomicBoolean stop = new AtomicBoolean();
            int[] verifications = new int[1];
            Thread collector = new Thread(() -> {
                try {
                    while (!stop.get()) {
                        HeapVerifier.verify(heap);
                        verifications[0]++;
                        Thread.sleep(1); // pacing, not synchronization: leaves the mutators time between safepoints
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }, "collector");
            collector.start();
            done.await();
            stop.set(true);
            collector.join();
            for (Thread th : threads) th.join();
            if (!failures.isEmpty()) {
                AssertionError e = new AssertionError(failures.size() + " thread(s) failed");
                failures.forEach(e::addSuppressed);
                throw e;
            }
            assertTrue(verifications[0] > 10, "safepoints requested: " + verifications[0]);
            Histogram ttsp = heap.timeToSafepoint();
            assertEquals(verifications[0], ttsp.getTotalCount(), "one time-to-safepoint sample per safepoint");
            HeapVerifier.verify(heap);
            assertEquals(0, heap.mutatorCount());
        }
    }
}
