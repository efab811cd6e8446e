package io.uffdgc.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.uffdgc.heap.Heap;
import io.uffdgc.heap.HeapConfig;
import io.uffdgc.heap.Mutator;
import io.uffdgc.heap.verify.HeapVerifier;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Closing the collector or the heap while a compaction window is open ends the cycles; nothing hangs. */
class CloseDuringWindowTest {
    /** A heap of a few tens of MiB, live objects and garbage mixed, with no mutator attached. */
    static Heap filledHeap(String name) {
        Heap heap = Heap.create(HeapConfig.defaults().withName(name).withCapacity(128L << 20).withMaxHandles(1 << 17));
        try (Mutator m = heap.attach()) {
            ShadowGraph g = new ShadowGraph(m, ShadowGraph.defineNode(heap), 3000, 7);
            for (int i = 0; i < 40_000; i++) g.step();
        }
        return heap;
    }

    /** Runs MOVE cycles back to back until one throws; returns the thread and what ended it. */
    static Thread cycleLoop(Collector c, AtomicReference<Throwable> ended, AtomicLong cycles) {
        return Thread.ofPlatform().name("cycle-loop").start(() -> {
            try {
                for (;;) {
                    c.collect(Mode.MOVE);
                    cycles.incrementAndGet();
                }
            } catch (Throwable t) {
                ended.set(t);
            }
        });
    }

    /**
     * Holds the next compaction window open (its compactors not started yet) until
     * {@code close} has been called: the close lands inside a window every time, not by luck.
     */
    static final class CloseInWindow implements CycleListener {
        private final CountDownLatch opened = new CountDownLatch(1);
        private final CountDownLatch closeCalled = new CountDownLatch(1);
        private volatile Thread closer;

        @Override public void cycleCompleted(CycleStats stats) {}

        @Override public void windowOpened(Mode mode) {
            if (opened.getCount() == 0) return;
            opened.countDown();
            try {
                // Wait until the closer has done its part: returned (heap.close) or blocked on the
                // cycle (collector.close waits for the cycle this thread is running).
                while (!closeCalled.await(1, TimeUnit.MILLISECONDS)) {
                    Thread t = closer;
                    if (t != null && (t.getState() == Thread.State.WAITING || t.getState() == Thread.State.TIMED_WAITING))
                        return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** Waits for a window to open, then runs close on the calling thread. */
        void closeDuringWindow(Runnable close) throws InterruptedException {
            assertTrue(opened.await(30, TimeUnit.SECONDS), "no compaction window opened");
            closer = Thread.currentThread();
            close.run();
            closeCalled.countDown();
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void closingTheCollectorWaitsForTheCycleAndLeavesTheHeapValid() throws Exception {
        UffdAssumptions.assumeMove();
        try (Heap heap = filledHeap("close-collector")) {
            for (int round = 0; round < 5; round++) {
                Collector c = Collector.attach(heap, CollectorModesTest.manual());
                CloseInWindow window = new CloseInWindow();
                c.addListener(window);
                AtomicReference<Throwable> ended = new AtomicReference<>();
                AtomicLong cycles = new AtomicLong();
                Thread loop = cycleLoop(c, ended, cycles);
                window.closeDuringWindow(c::close);
                loop.join(20_000);
                assertFalse(loop.isAlive(), "the cycle loop ended after close");
                assertTrue(ended.get() instanceof IllegalStateException, () -> "ended by " + ended.get());
                assertTrue(cycles.get() >= 1, "the cycle whose window the close met completed");
                HeapVerifier.verify(heap);
            }
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void closingTheHeapUnderACycleFailsItWithoutHanging() throws Exception {
        UffdAssumptions.assumeMove();
        for (int round = 0; round < 3; round++) {
            Heap heap = filledHeap("close-heap-" + round);
            Collector c = Collector.attach(heap, CollectorModesTest.manual());
            CloseInWindow window = new CloseInWindow();
            c.addListener(window);
            AtomicReference<Throwable> ended = new AtomicReference<>();
            AtomicLong cycles = new AtomicLong();
            Thread loop = cycleLoop(c, ended, cycles);
            window.closeDuringWindow(heap::close);
            loop.join(20_000);
            assertFalse(loop.isAlive(), "the cycle loop ended after the heap closed");
            assertTrue(ended.get() instanceof CollectionFailedException, () -> "ended by " + ended.get());
            assertEquals(0, cycles.get(), "the cycle under which the heap closed did not complete");
            c.close();
        }
    }
}
