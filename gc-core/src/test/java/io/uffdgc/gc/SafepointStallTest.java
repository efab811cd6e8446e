package io.uffdgc.gc;

import static org.junit.jupiter.api.Assertions.*;

import io.uffdgc.heap.Heap;
import io.uffdgc.heap.HeapConfig;
import io.uffdgc.heap.Mutator;
import io.uffdgc.heap.SafepointTimeoutException;
import io.uffdgc.heap.SafepointWait;
import io.uffdgc.heap.verify.HeapVerifier;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 13.4: a mutator that waits for the collecting thread outside a blocking region (the
 * caller's mistake) deadlocks the pause. It used to hang silently; now the stragglers are
 * named after the limit, with what their threads are doing, and FAIL gives up cleanly.
 */
@Timeout(60)
class SafepointStallTest {
    private static final Duration LIMIT = Duration.ofMillis(300);

    /** A mutator thread that joins the collecting thread while attached and RUNNING. */
    private static Thread joiner(Heap heap, Thread collecting, CountDownLatch attached, AtomicReference<Throwable> failure) {
        return Thread.ofPlatform().name("joins-the-collector").start(() -> {
            try (Mutator m = heap.attach()) {
                m.newLongArray(16);
                attached.countDown();
                collecting.join();              // the mistake: not inside m.blocking(...)
            } catch (InterruptedException e) {
                // the test's way out of the deadlock: leaving try detaches, and the pause proceeds
            } catch (Throwable t) {
                failure.set(t);
            }
        });
    }

    @Test
    void theDefaultReportsTheStragglerAndWhatItDoesAndKeepsWaiting() throws Exception {
        Logger jul = Logger.getLogger(SafepointWait.LOGGER);
        BlockingQueue<String> reports = new LinkedBlockingQueue<>();
        Handler capture = new Handler() {
            @Override public void publish(LogRecord r) { reports.add(r.getMessage()); }

            @Override public void flush() {}

            @Override public void close() {}
        };
        jul.addHandler(capture);
        try (Heap heap = Heap.create(HeapConfig.defaults().withName("stall-report").withCapacity(32L << 20));
             Collector c = Collector.attach(heap, CollectorModesTest.manual()
                     .withSafepointWait(SafepointWait.reportAfter(LIMIT)))) {
            CountDownLatch attached = new CountDownLatch(1);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicReference<CycleStats> stats = new AtomicReference<>();
            CountDownLatch go = new CountDownLatch(1);
            Thread collecting = Thread.ofPlatform().name("collecting").start(() -> {
                try {
                    go.await();
                    stats.set(c.collect());
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            Thread mutator = joiner(heap, collecting, attached, failure);
            assertTrue(attached.await(10, TimeUnit.SECONDS));
            go.countDown();
            String report = reports.poll(20, TimeUnit.SECONDS);
            assertNotNull(report, "no report while the pause waited for a mutator that cannot poll");
            assertTrue(report.contains("'joins-the-collector'"), report);
            assertTrue(report.contains("WAITING"), report);
            assertTrue(report.contains("java.lang.Thread.join"), report);
            assertTrue(report.contains("blocking region"), report);
            assertTrue(report.contains("still waiting"), report);
            assertTrue(collecting.isAlive(), "REPORT must not fail the cycle");
            mutator.interrupt();
            collecting.join(TimeUnit.SECONDS.toMillis(30));
            mutator.join(TimeUnit.SECONDS.toMillis(30));
            assertFalse(collecting.isAlive());
            if (failure.get() != null) throw new AssertionError(failure.get());
            assertNotNull(stats.get(), "the cycle completed once the mutator detached");
            HeapVerifier.verify(heap);
        } finally {
            jul.removeHandler(capture);
        }
    }

    @Test
    void failGivesUpNamesTheStragglerAndCollectsNothing() throws Exception {
        try (Heap heap = Heap.create(HeapConfig.defaults().withName("stall-fail").withCapacity(32L << 20));
             Collector c = Collector.attach(heap, CollectorModesTest.manual()
                     .withSafepointWait(SafepointWait.failAfter(LIMIT)))) {
            CountDownLatch attached = new CountDownLatch(1);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            CountDownLatch go = new CountDownLatch(1);
            Thread collecting = Thread.ofPlatform().name("collecting").start(() -> {
                try {
                    go.await();
                    c.collect();
                } catch (Throwable t) {
                    thrown.set(t);
                }
            });
            Thread mutator = joiner(heap, collecting, attached, failure);
            assertTrue(attached.await(10, TimeUnit.SECONDS));
            go.countDown();
            collecting.join(TimeUnit.SECONDS.toMillis(30));
            mutator.join(TimeUnit.SECONDS.toMillis(30));     // its join returns once collect() gave up
            assertFalse(mutator.isAlive());
            if (failure.get() != null) throw new AssertionError(failure.get());
            Throwable t = thrown.get();
            assertInstanceOf(SafepointTimeoutException.class, t);
            assertTrue(t.getMessage().contains("'joins-the-collector'") && t.getMessage().contains("WAITING"), t.getMessage());
            assertEquals(0, c.cycles(), "nothing was collected");
            HeapVerifier.verify(heap);
            assertEquals(1, c.collect().cycle(), "the next cycle runs normally");
        }
    }
}
