package io.uffdgc.gc;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.uffdgc.gc.policy.CollectionPolicy;
import io.uffdgc.heap.Heap;
import io.uffdgc.heap.HeapConfig;
import io.uffdgc.heap.Mutator;
import io.uffdgc.heap.verify.HeapVerifier;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 13.2: an allocation may fail only after a cycle that started after the failing request
 * completed and still left no room. A cycle that marked before the mutator dropped its data
 * saw that data live, and must not count as the collection the request asked for.
 */
@Timeout(120)
class AllocationAfterCollectionTest {
    private static final long CAPACITY = 32L << 20;
    private static final int CHUNK_LONGS = 1 << 15;  // 256 KiB arrays

    /** Fills the heap with arrays held by handles until the next one would not fit. */
    private static List<Long> fill(Heap heap, Mutator m) {
        List<Long> held = new ArrayList<>();
        while (heap.top() + (CHUNK_LONGS + 2L) * Long.BYTES * 2 < CAPACITY) held.add(m.newLongArray(CHUNK_LONGS));
        return held;
    }

    private static Heap heap(String name) {
        return Heap.create(HeapConfig.defaults().withName(name).withCapacity(CAPACITY).withMaxHandles(4096));
    }

    /** The first sequence of the report: fill, release everything, allocate again; the default policy runs. */
    @RepeatedTest(8)
    void fillReleaseAllocateWithTheDefaultPolicy() {
        try (Heap heap = heap("refill"); Collector c = Collector.attach(heap)) {
            try (Mutator m = heap.attach()) {
                for (int round = 0; round < 3; round++) {
                    for (long h : fill(heap, m)) m.release(h);
                    // More than what is free now: only a collection after the release makes room.
                    for (int i = 0; i < 4; i++) m.release(m.newLongArray((int) (CAPACITY / 4 / Long.BYTES)));
                }
            }
            HeapVerifier.verify(heap);
        }
    }

    /**
     * With concurrent marking (the default) other mutators' allocations during marking are
     * live and what died during it floats, so the cycle an allocation failure runs marks in the
     * pause: a full collection before the allocation may fail. (The stress profile met this:
     * three mutators on 32 MiB, HeapExhaustedException after 870 cycles with concurrent marking.)
     */
    @RepeatedTest(2)
    void aFailedAllocationRunsAFullCycle() {
        try (Heap heap = heap("full-cycle");
             Collector c = Collector.attach(heap, CollectorConfig.defaults().withPolicy(CollectionPolicy.manual()))) {
            assertEquals(Marking.CONCURRENT, c.config().marking());
            List<CycleStats> seen = new ArrayList<>();
            c.addListener(seen::add);
            try (Mutator m = heap.attach()) {
                for (long h : fill(heap, m)) m.release(h);
                m.newLongArray((int) (CAPACITY / 4 / Long.BYTES));
            }
            assertEquals(1, seen.size(), "one cycle, for the failed allocation");
            CycleStats s = seen.getFirst();
            assertEquals(CycleStats.Trigger.ALLOCATION_FAILURE, s.trigger());
            assertEquals(Marking.STOP_THE_WORLD, s.marking(), "marked inside the pause");
            assertEquals(1, s.pauses().size(), "one pause: " + s.pauses());
            c.collect();
            assertEquals(Marking.CONCURRENT, seen.getLast().marking(), "an explicit cycle marks concurrently");
            HeapVerifier.verify(heap);
        }
    }

    /**
     * The second sequence, made deterministic: a cycle marks while everything is live, and its
     * window is held open until the mutator has released everything and is waiting in the
     * collection hook. Before the fix the hook saw that cycle complete, skipped collecting,
     * and the retry threw HeapExhaustedException.
     */
    @RepeatedTest(4)
    void aCycleThatMarkedBeforeTheReleaseDoesNotCount() throws Exception {
        try (Heap heap = heap("in-window");
             Collector c = Collector.attach(heap, CollectorConfig.defaults().withPolicy(CollectionPolicy.manual()))) {
            Mode mode = c.resolve(Mode.AUTO);
            assumeTrue(mode != Mode.STW, "no userfaultfd here, so no window in which a mutator runs: " + c.modeSupport().reason());
            CountDownLatch filled = new CountDownLatch(1), windowOpen = new CountDownLatch(1);
            AtomicReference<Thread> mutator = new AtomicReference<>();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            c.addListener(new CycleListener() {
                @Override public void cycleCompleted(CycleStats stats) {}

                @Override public void windowOpened(Mode m) {
                    if (windowOpen.getCount() == 0) return;
                    windowOpen.countDown();
                    Thread t = mutator.get();
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                    // Held until the mutator parks on the collector's lock inside its collection hook.
                    while (t.getState() != Thread.State.WAITING && t.isAlive() && System.nanoTime() < deadline)
                        Thread.onSpinWait();
                }
            });
            Thread t = Thread.ofPlatform().name("refiller").unstarted(() -> {
                try (Mutator m = heap.attach()) {
                    List<Long> held = fill(heap, m);
                    filled.countDown();
                    m.blocking(() -> {
                        try {
                            assertTrue(windowOpen.await(30, TimeUnit.SECONDS), "no window opened");
                        } catch (InterruptedException e) {
                            throw new AssertionError(e);
                        }
                    });
                    for (long h : held) m.release(h);
                    m.newLongArray((int) (CAPACITY / 2 / Long.BYTES));
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            mutator.set(t);
            t.start();
            assertTrue(filled.await(30, TimeUnit.SECONDS), "the mutator did not fill the heap");
            c.collect(mode);
            t.join(TimeUnit.SECONDS.toMillis(60));
            assertFalse(t.isAlive(), "the mutator did not finish");
            if (failure.get() != null) throw new AssertionError("the allocation after the release failed", failure.get());
            assertTrue(c.cycles() >= 2, "the hook must have run its own cycle: " + c.cycles());
            HeapVerifier.verify(heap);
        }
    }
}
