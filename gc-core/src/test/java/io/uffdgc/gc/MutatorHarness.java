package io.uffdgc.gc;

import io.uffdgc.heap.Heap;
import io.uffdgc.heap.Mutator;
import io.uffdgc.heap.layout.RecordLayout;
import io.uffdgc.heap.verify.HeapVerifier;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Phaser;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;

/**
 * Mutator threads, each mutating its own {@link Workload} (by default a {@link ShadowGraph})
 * while the collector runs cycles. After every cycle the mutators stop stepping and each checks its heap
 * graph against its model; then the heap verifier runs (a heap safepoint, the
 * mutators waiting in a blocking region); then they resume.
 */
final class MutatorHarness implements AutoCloseable {
    /** Steps a mutator may take per cycle: bounds allocation so no allocation failure starts a cycle of its own. */
    static final int MAX_STEPS_PER_CYCLE = 4000;

    private final Heap heap;
    private final int maxSteps;
    private final Phaser phaser = new Phaser(1);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean pause, done;
    volatile long steps;

    MutatorHarness(Heap heap, int mutators, int rootsEach) {
        this(heap, mutators, MAX_STEPS_PER_CYCLE, shadowGraphs(heap, rootsEach));
    }

    private static BiFunction<Mutator, Long, Workload> shadowGraphs(Heap heap, int rootsEach) {
        RecordLayout node = ShadowGraph.defineNode(heap);
        return (m, seed) -> new ShadowGraph(m, node, rootsEach, seed);
    }

    /**
     * @param maxSteps steps a mutator takes per cycle at most (it stops earlier when the cycle ends); bounds
     *                 what it allocates
     * @param workload makes each mutator's workload, on its thread, from its mutator and a seed
     */
    MutatorHarness(Heap heap, int mutators, int maxSteps, BiFunction<Mutator, Long, Workload> workload) {
        this.heap = heap;
        this.maxSteps = maxSteps;
        Phaser ready = new Phaser(mutators + 1);
        for (int t = 0; t < mutators; t++) {
            long seed = 1000 + t;
            phaser.register();
            Thread th = Thread.ofPlatform().name("shadow-mutator-" + t).start(() -> run(workload, seed, ready));
            threads.add(th);
        }
        ready.arriveAndAwaitAdvance();
        check();
    }

    private void run(BiFunction<Mutator, Long, Workload> workload, long seed, Phaser ready) {
        try (Mutator m = heap.attach()) {
            Workload g;
            try {
                g = workload.apply(m, seed);
            } finally {
                ready.arriveAndDeregister();
            }
            while (!done) {
                for (int i = 0; i < maxSteps && !pause && !done; i++) {
                    g.step();
                    steps++;
                }
                m.blocking(() -> { while (!pause && !done) Thread.onSpinWait(); });
                if (done) break;
                g.verify();
                m.blocking(() -> {
                    phaser.arriveAndAwaitAdvance(); // stopped and verified
                    phaser.arriveAndAwaitAdvance(); // heap verified, resume
                });
            }
        } catch (Throwable e) {
            failure.compareAndSet(null, e);
        } finally {
            phaser.arriveAndDeregister();
        }
    }

    /** Runs one cycle while the mutators step, then checks models and the heap. */
    CycleStats cycle(Collector collector, Mode mode) {
        CycleStats s = collector.collect(mode);
        afterCycle();
        return s;
    }

    /** Stops the mutators, lets them check their graphs, verifies the heap, resumes them. */
    void afterCycle() {
        pause = true;
        phaser.arriveAndAwaitAdvance();
        check();
        HeapVerifier.verify(heap);
        pause = false;
        phaser.arriveAndAwaitAdvance();
    }

    void check() {
        Throwable t = failure.get();
        if (t != null) throw new AssertionError("a mutator failed: " + t, t);
    }

    @Override
    public void close() {
        done = true;
        try {
            for (Thread t : threads) t.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        check();
        for (Thread t : threads)
            if (t.isAlive()) throw new AssertionError(t.getName() + " still running 30 s after the harness closed");
    }
}
