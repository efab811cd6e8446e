package io.uffdgc.heap;

import static org.junit.jupiter.api.Assertions.*;

import io.uffdgc.heap.verify.HeapVerifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class SafepointTest {
    private final Heap heap = Heap.create(HeapLifecycleTest.small("safepoints").withCapacity(64L << 20));
    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();

    @AfterEach
    void close() throws InterruptedException {
        stop.set(true);
        for (Thread t : threads) t.join();
        heap.close();
    }

    /** Starts a thread that attaches and runs body in a loop until the test ends. */
    private CountDownLatch mutatorThread(String name, java.util.function.Consumer<Mutator> body) {
        CountDownLatch attached = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            try (Mutator m = heap.attach()) {
                attached.countDown();
                while (!stop.get()) body.accept(m);
            }
        }, name);
        threads.add(t);
        t.start();
        return attached;
    }

    @Test
    void allocatingMutatorsStopAndResume() throws Exception {
        AtomicLong allocations = new AtomicLong();
        for (int i = 0; i < 3; i++) {
            mutatorThread("alloc-" + i, m -> {
                try (HandleScope s = m.openScope()) {
                    for (int k = 0; k < 100; k++) m.newLongArray(4);
                }
                allocations.addAndGet(100);
            }).await();
        }
        for (int round = 0; round < 20; round++) {
            try (SafepointSession s = heap.stopTheWorld()) {
                long seen = allocations.get(), top = heap.top();
                Thread.sleep(2);
                assertEquals(top, heap.top(), "nobody allocates during a safepoint");
                assertEquals(seen, allocations.get());
                HeapVerifier.verify(heap); // nested session: TLABs are retired, the heap parses
            }
        }
        long before = allocations.get();
        while (allocations.get() == before) Thread.onSpinWait();
        assertEquals(20, heap.timeToSafepoint().getTotalCount());
    }

    @Test
    void blockingRegionCountsAsSafe() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean ranAfter = new AtomicBoolean();
        Thread t = new Thread(() -> {
            try (Mutator m = heap.attach()) {
                m.blocking(() -> {
                    inside.countDown();
                    try { release.await(); } catch (InterruptedException e) { throw new RuntimeException(e); }
                });
                m.newLongArray(1);
                ranAfter.set(true);
            }
        });
        threads.add(t);
        t.start();
        inside.await();
        try (SafepointSession s = heap.stopTheWorld(Duration.ofSeconds(10))) {
            release.countDown(); // it leaves the region now, and must stop before touching the heap
            Thread.sleep(20);
            assertFalse(ranAfter.get());
        }
        t.join();
        assertTrue(ranAfter.get());
    }

    @Test
    void aMutatorThatNeverPollsTimesOutTheSafepointAndEveryoneResumes() throws Exception {
        AtomicBoolean spinning = new AtomicBoolean();
        CountDownLatch attached = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            try (Mutator m = heap.attach()) {
                attached.countDown();
                while (!stop.get()) spinning.set(true); // no poll at all
            }
        }, "no-poll");
        threads.add(t);
        t.start();
        attached.await();
        var e = assertThrows(SafepointTimeoutException.class, () -> heap.stopTheWorld(Duration.ofMillis(100)));
        assertTrue(e.getMessage().contains("'no-poll'"), e.getMessage());
        AtomicLong progress = new AtomicLong();
        mutatorThread("polite", m -> { m.safepoint(); progress.incrementAndGet(); }).await();
        long p = progress.get();
        while (progress.get() == p) Thread.onSpinWait(); // not left stopped by the failed attempt
        stop.set(true);
        t.join();
    }

    @Test
    void requestingMutatorCountsAsSafeAndMayNotTouchTheHeapMeanwhile() {
        try (Mutator m = heap.attach()) {
            long h = m.newLongArray(1);
            try (SafepointSession s = heap.stopTheWorld()) {
                assertTrue(heap.inSafepoint());
                assertThrows(MutatorStateException.class, () -> m.getLongElement(h, 0));
                try (SafepointSession nested = heap.stopTheWorld()) {
                    assertTrue(nested.isNested());
                }
                assertTrue(heap.inSafepoint(), "closing a nested session keeps the outer one");
                assertThrows(IllegalStateException.class, heap::close);
            }
            assertFalse(heap.inSafepoint());
            assertEquals(0, m.getLongElement(h, 0));
        }
    }

    @Test
    void sessionMustBeClosedByItsThread() throws Exception {
        SafepointSession s = heap.stopTheWorld();
        Throwable[] seen = new Throwable[1];
        Thread t = new Thread(() -> { try { s.close(); } catch (Throwable e) { seen[0] = e; } });
        t.start();
        t.join();
        assertInstanceOf(MutatorStateException.class, seen[0]);
        s.close();
    }

    @Test
    void aThreadAttachingDuringASafepointWaitsForIt() throws Exception {
        AtomicBoolean attached = new AtomicBoolean();
        Thread t;
        try (SafepointSession s = heap.stopTheWorld()) {
            t = new Thread(() -> { try (Mutator m = heap.attach()) { attached.set(true); } });
            t.start();
            Thread.sleep(50);
            assertFalse(attached.get());
        }
        t.join();
        assertTrue(attached.get());
    }

    @Test
    void blockingRegionsNestAndMustBalance() {
        try (Mutator m = heap.attach()) {
            assertThrows(MutatorStateException.class, m::exitBlocking);
            m.enterBlocking();
            m.enterBlocking();
            assertThrows(MutatorStateException.class, () -> m.newLongArray(1));
            assertThrows(MutatorStateException.class, m::close);
            m.exitBlocking();
            assertThrows(MutatorStateException.class, () -> m.newLongArray(1));
            m.exitBlocking();
            assertEquals(3, m.length(m.newLongArray(3)));
            assertEquals(5, m.blockingCall(() -> 5));
        }
    }

    @Test
    void anInterruptedMutatorParksAtTheSafepointAndKeepsItsInterrupt() throws Exception {
        CountDownLatch attached = new CountDownLatch(1);
        AtomicBoolean stillInterrupted = new AtomicBoolean();
        Thread t = new Thread(() -> {
            try (Mutator m = heap.attach()) {
                Thread.currentThread().interrupt();
                attached.countDown();
                while (!stop.get()) m.safepoint();
                stillInterrupted.set(Thread.currentThread().isInterrupted());
            }
        }, "interrupted");
        threads.add(t);
        t.start();
        attached.await();
        try (SafepointSession s = heap.stopTheWorld()) {
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (t.getState() != Thread.State.WAITING && System.nanoTime() < deadline) Thread.sleep(1);
            assertEquals(Thread.State.WAITING, t.getState(), "parked, not spinning");
        }
        stop.set(true);
        t.join();
        assertTrue(stillInterrupted.get());
    }
}
