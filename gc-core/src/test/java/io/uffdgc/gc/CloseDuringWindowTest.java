package io.uffdgc.gc;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.uffdgc.heap.Heap;
import io.uffdgc.heap.HeapConfig;
import io.uffdgc.heap.Mutator;
import io.uffdgc.heap.verify.HeapVerifier;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Closing the collector or the heap while cycles run ends them; nothing hangs. */
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

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void closingTheCollectorWaitsForTheCycleAndLeavesTheHeapValid() throws Exception {
        SplittableRandom rnd = new SplittableRandom(3);
        try (Heap heap = filledHeap("close-collector")) {
            for (int round = 0; round < 5; round++) {
                Collector c = Collector.attach(heap, CollectorModesTest.manual());
                AtomicReference<Throwable> ended = new AtomicReference<>();
                AtomicLong cycles = new AtomicLong();
                Thread loop = cycleLoop(c, ended, cycles);
                Thread.sleep(rnd.nextInt(1, 40));
                c.close();
                loop.join(20_000);
                assertFalse(loop.isAlive(), "the cycle loop ended after close");
                assertTrue(ended.get() instanceof IllegalStateException, () -> "ended by " + ended.get());
                HeapVerifier.verify(heap);
            }
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void closingTheHeapUnderACycleFailsItWithoutHanging() throws Exception {
        SplittableRandom rnd = new SplittableRandom(5);
        for (int round = 0; round < 3; round++) {
            Heap heap = filledHeap("close-heap-" + round);
            Collector c = Collector.attach(heap, CollectorModesTest.manual());
            AtomicReference<Throwable> ended = new AtomicReference<>();
            AtomicLong cycles = new AtomicLong();
            Thread loop = cycleLoop(c, ended, cycles);
            Thread.sleep(rnd.nextInt(1, 40));
            heap.close();
            loop.join(20_000);
            assertFalse(loop.isAlive(), "the cycle loop ended after the heap closed");
            assertTrue(ended.get() instanceof RuntimeException, () -> "ended by " + ended.get());
            c.close();
        }
    }
}
