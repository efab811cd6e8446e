package io.uffdgc.heap;

import static io.uffdgc.heap.MutatorState.STOPPED;
import static io.uffdgc.heap.TestThread.await;
import static org.junit.jupiter.api.Assertions.*;

import io.uffdgc.heap.verify.HeapVerifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The safepoint protocol (SafepointCoordinator G1-G8), tested by events: the tests wait for
 * states they can observe (a mutator's MutatorState, a thread parked, a counter moved), never
 * for time to pass, so each assertion fails if the behaviour breaks, however slow the machine.
 */
@Timeout(60)
class SafepointTest {
    private final Heap heap = Heap.create(HeapLifecycleTest.small("safepoints").withCapacity(64L << 20));
    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<TestThread> threads = new ArrayList<>();
    // Sessions are requested with a timeout (TestThread.PATIENCE): a broken protocol fails the test instead of hanging it.

    /** Ends every thread the test started, rethrows what any of them threw, and closes the heap. */
    @AfterEach
    void close() {
        stop.set(true);
        AssertionError failed = null;
        try {
            TestThread.joinAll(threads);
        } catch (AssertionError e) {
            failed = e;
        }
        try {
            heap.close();
        } catch (RuntimeException e) {
            if (failed == null) throw e;
            failed.addSuppressed(e);
        }
        if (failed != null) throw failed;
    }

    /** A mutator thread that only polls, counting its polls in polls. */
    private Mutator pollingMutator(String name, AtomicLong polls) throws Exception {
        return mutatorThread(name, m -> {
            m.safepoint();
            polls.incrementAndGet();
        });
    }

    /** Starts a thread that attaches, then runs body in a loop until the test ends; returns its mutator once attached. */
    private Mutator mutatorThread(String name, Consumer<Mutator> body) throws Exception {
        CompletableFuture<Mutator> attached = new CompletableFuture<>();
        threads.add(TestThread.start(name, () -> {
            try (Mutator m = heap.attach()) {
                attached.complete(m);
                while (!stop.get()) body.accept(m);
            } catch (Throwable e) {
                attached.completeExceptionally(e); // no effect once attached: then close() reports it
                throw e;
            }
        }));
        return attached.get(TestThread.PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static long[] snapshot(AtomicLongArray a) {
        long[] s = new long[a.length()];
        for (int i = 0; i < s.length; i++) s[i] = a.get(i);
        return s;
    }

    @Test
    void allocatingMutatorsStopAtEverySafepointAndResumeAfterIt() throws Exception {
        int n = 3, rounds = 20;
        // Batches of 100 small arrays each mutator may allocate so far: raised by 10 a round, so
        // the heap grows by a bounded amount however fast the mutators run (nothing collects it).
        AtomicLong allowance = new AtomicLong();
        AtomicLongArray batches = new AtomicLongArray(n);
        List<Mutator> mutators = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int me = i;
            mutators.add(mutatorThread("alloc-" + i, m -> {
                if (batches.get(me) >= allowance.get()) {
                    m.safepoint(); // allowance spent: stay RUNNING, keep polling
                    return;
                }
                try (HandleScope s = m.openScope()) {
                    for (int k = 0; k < 100; k++) m.newLongArray(4);
                }
                batches.incrementAndGet(me);
            }));
        }
        for (int round = 0; round < rounds; round++) {
            allowance.addAndGet(10);
            long[] before = snapshot(batches);
            for (int i = 0; i < n; i++) { // each mutator resumed after the last session and allocates again
                int me = i;
                await("alloc-" + me + " to allocate before safepoint " + round, () -> batches.get(me) > before[me]);
            }
            try (SafepointSession s = heap.stopTheWorld(TestThread.PATIENCE)) {
                // They never block, so a mutator the safepoint waited for is stopped at a poll.
                for (Mutator m : mutators) assertEquals(STOPPED, m.state(), m.thread().getName());
                long top = heap.top();
                long[] seen = snapshot(batches);
                HeapVerifier.verify(heap); // nested session: TLABs are retired, the heap parses
                assertEquals(top, heap.top(), "nobody allocates during a safepoint");
                assertArrayEquals(seen, snapshot(batches));
            }
        }
        assertEquals(rounds, heap.timeToSafepoint().getTotalCount(), "one sample per session, none for nested ones");
    }

    @Test
    void blockingRegionCountsAsSafeAndLeavingItStopsAtTheSafepoint() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean touchedHeap = new AtomicBoolean();
        CompletableFuture<Mutator> mutator = new CompletableFuture<>();
        TestThread t = TestThread.start("blocker", () -> {
            try (Mutator m = heap.attach()) {
                long h = m.newLongArray(1);
                mutator.complete(m);
                m.blocking(() -> {
                    inside.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        throw new RuntimeException(e);
                    }
                });
                m.putLongElement(h, 0, 1); // does not poll: only exitBlocking's poll keeps it out of a safepoint
                touchedHeap.set(true);
            }
        });
        threads.add(t);
        Mutator m = mutator.get(TestThread.PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        assertTrue(inside.await(TestThread.PATIENCE.toMillis(), TimeUnit.MILLISECONDS));
        // Times out unless a mutator in a blocking region counts as safe.
        try (SafepointSession s = heap.stopTheWorld(TestThread.PATIENCE)) {
            release.countDown();
            await("the blocker to stop or touch the heap", () -> m.state() == STOPPED || touchedHeap.get());
            assertFalse(touchedHeap.get(), "left its blocking region and touched the heap during a safepoint");
        }
        t.join();
        assertTrue(touchedHeap.get());
    }

    @Test
    void aMutatorThatNeverPollsTimesOutTheSafepointAndEveryoneResumes() throws Exception {
        AtomicLong progress = new AtomicLong();
        Mutator polite = pollingMutator("polite", progress);
        mutatorThread("no-poll", m -> Thread.onSpinWait()); // attached and RUNNING, never polls
        // The request runs on its own thread so this one can see the polite mutator stop meanwhile.
        TestThread requester = TestThread.start("requester", () -> {
            // close() on the session it should not get, so a broken timeout fails here instead of leaking the lock
            var e = assertThrows(SafepointTimeoutException.class, () -> heap.stopTheWorld(Duration.ofSeconds(1)).close());
            assertTrue(e.getMessage().contains("'no-poll'"), e.getMessage());
            assertFalse(e.getMessage().contains("'polite'"), e.getMessage());
        });
        threads.add(requester);
        await("the polite mutator to stop for the request", () -> polite.state() == STOPPED);
        requester.join();
        long p = progress.get();
        await("the polite mutator to run again", () -> progress.get() > p); // not left stopped by the failed attempt
        mutatorThread("late", Mutator::safepoint); // returns once attach() has polled: the request was withdrawn
    }

    @Test
    void requestingMutatorCountsAsSafeAndMayNotTouchTheHeapMeanwhile() {
        try (Mutator m = heap.attach()) {
            long h = m.newLongArray(1);
            try (SafepointSession s = heap.stopTheWorld(TestThread.PATIENCE)) {
                assertTrue(heap.inSafepoint());
                assertThrows(MutatorStateException.class, () -> m.getLongElement(h, 0));
                try (SafepointSession nested = heap.stopTheWorld(TestThread.PATIENCE)) {
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
    void aSessionTellsWhenItReleasedTheMutatorsAndOnlyOnceItHas() throws Exception {
        AtomicLong polls = new AtomicLong();
        Mutator polite = pollingMutator("polite", polls);
        SafepointSession s = heap.stopTheWorld(TestThread.PATIENCE);
        assertEquals(STOPPED, polite.state());
        var e = assertThrows(IllegalStateException.class, s::releasedNanos, "no release time while still stopped");
        assertTrue(e.getMessage().contains("still open"), e.getMessage());
        long before = System.nanoTime();
        s.close();
        long after = System.nanoTime();
        assertTrue(before <= s.releasedNanos() && s.releasedNanos() <= after,
                before + " <= " + s.releasedNanos() + " <= " + after);
        long p = polls.get();
        await("the released mutator to run again", () -> polls.get() > p);
        try (Mutator m = heap.attach()) {
            SafepointSession outer = heap.stopTheWorld(TestThread.PATIENCE);
            SafepointSession nested = heap.stopTheWorld(TestThread.PATIENCE);
            long beforeNested = System.nanoTime();
            nested.close();
            long afterNested = System.nanoTime();
            assertTrue(heap.inSafepoint(), "closing a nested session keeps the outer one");
            assertTrue(beforeNested <= nested.releasedNanos() && nested.releasedNanos() <= afterNested,
                    "a nested session's time is that of its close");
            outer.close();
            assertTrue(outer.releasedNanos() > afterNested, "the outer session released the mutators later");
        }
    }

    @Test
    void aVirtualThreadMutatorStopsParkedAndResumes() throws Exception {
        AtomicLong polls = new AtomicLong();
        CompletableFuture<Mutator> attached = new CompletableFuture<>();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread v = Thread.ofVirtual().name("virtual-mutator").start(() -> {
            try (Mutator m = heap.attach()) {
                attached.complete(m);
                while (!stop.get()) {
                    m.safepoint();
                    polls.incrementAndGet();
                }
            } catch (Throwable e) {
                failed.set(e);
                attached.completeExceptionally(e);
            }
        });
        Mutator m = attached.get(TestThread.PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        try (SafepointSession s = heap.stopTheWorld(TestThread.PATIENCE)) {
            assertEquals(STOPPED, m.state());
            // Parked, not asleep in the gate's downcall (which would pin its carrier thread).
            await("the virtual mutator to park", () -> v.getState() == Thread.State.WAITING);
        }
        long p = polls.get();
        await("the virtual mutator to run again", () -> polls.get() > p);
        stop.set(true);
        assertTrue(v.join(TestThread.PATIENCE), "the virtual mutator did not end");
        if (failed.get() != null) throw new AssertionError("the virtual mutator failed", failed.get());
    }

    @Test
    void sessionMustBeClosedByItsThread() {
        SafepointSession s = heap.stopTheWorld(TestThread.PATIENCE);
        TestThread.run("other", () -> assertThrows(MutatorStateException.class, s::close));
        assertTrue(heap.inSafepoint(), "the refused close left the session open");
        s.close();
        assertFalse(heap.inSafepoint());
    }

    @Test
    void aThreadAttachingDuringASafepointStopsInAttach() throws Exception {
        AtomicBoolean attached = new AtomicBoolean();
        TestThread t;
        try (SafepointSession s = heap.stopTheWorld(TestThread.PATIENCE)) {
            TestThread late = TestThread.start("late", () -> {
                try (Mutator m = heap.attach()) {
                    attached.set(true);
                }
            });
            threads.add(late);
            t = late;
            // Nothing on that thread sleeps in native code but a stop at a poll (attach's monitor would be BLOCKED).
            await("the attaching thread to stop or attach", () -> attached.get() || heap.mutatorCount() == 1
                    && late.thread().getState() == Thread.State.RUNNABLE && TestThread.kernelState(late.thread()) == 'S');
            assertFalse(attached.get(), "attach() returned during a safepoint");
            assertEquals(1, heap.mutatorCount(), "registered, then stopped at attach()'s poll");
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
    void anInterruptedMutatorSleepsAtTheSafepointAndKeepsItsInterrupt() throws Exception {
        AtomicBoolean stillInterrupted = new AtomicBoolean();
        CompletableFuture<Mutator> mutator = new CompletableFuture<>();
        TestThread t = TestThread.start("interrupted", () -> {
            try (Mutator m = heap.attach()) {
                Thread.currentThread().interrupt();
                mutator.complete(m);
                while (!stop.get()) m.safepoint();
                stillInterrupted.set(Thread.currentThread().isInterrupted());
            }
        });
        threads.add(t);
        Mutator m = mutator.get(TestThread.PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        try (SafepointSession s = heap.stopTheWorld(TestThread.PATIENCE)) {
            assertEquals(STOPPED, m.state());
            TestThread.awaitSleepsInNative(t.thread());
        }
        stop.set(true);
        t.join();
        assertTrue(stillInterrupted.get());
    }
}
