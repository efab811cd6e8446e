package io.uffdgc.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.uffdgc.gc.CycleStats.Trigger;
import io.uffdgc.gc.policy.CollectionPolicy;
import io.uffdgc.gc.policy.HeapUsage;
import io.uffdgc.heap.Heap;
import io.uffdgc.heap.HeapConfig;
import io.uffdgc.heap.Mutator;
import io.uffdgc.heap.layout.RecordLayout;
import io.uffdgc.heap.verify.HeapVerifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Phaser;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The long stress profile (issue 13): not part of the test suite; run it with {@code scripts/stress}.
 *
 * <p>Mutator threads mutate their own {@link ShadowGraph}s and a set of {@link SharedCells}
 * while the collector runs as it would for an embedder: cycles come from the occupancy policy
 * and from failed allocations (the collection hook), in a mode that rotates over every mode
 * this kernel offers; in every other round the policy is held, so that only failed allocations
 * start cycles. Rounds alternate: mutators run for a while, then the policy is held,
 * the mutators park in a blocking region, the last policy cycle drains, one explicit cycle
 * runs, every graph and the shared cells are checked against their models, and the heap
 * verifier walks the heap. It runs until {@code stress.cycles} cycles (default 10,000)
 * completed and prints what it saw.
 */
@Tag("stress")
class StressProfile {
    private static final int MUTATORS = Integer.getInteger("stress.mutators", 3);
    private static final long TARGET_CYCLES = Long.getLong("stress.cycles", 10_000);
    private static final long ROUND_MILLIS = Long.getLong("stress.roundMillis", 300);
    private static final int RENEW_ROUNDS = 6;
    private static final long HEAP_BYTES = Long.getLong("stress.heapMiB", 32) << 20;

    /** Occupancy with a mode that rotates per cycle, which the test can hold between rounds. */
    static final class RotatingPolicy implements CollectionPolicy {
        private final double threshold;
        private final AtomicLong next = new AtomicLong();
        final AtomicLong decided = new AtomicLong();
        volatile List<Mode> modes = List.of(Mode.AUTO);
        volatile boolean held = true;

        RotatingPolicy(double threshold) { this.threshold = threshold; }

        @Override public boolean shouldCollect(HeapUsage u) {
            if (held || (double) u.used() / u.capacity() < threshold) return false;
            decided.incrementAndGet();          // counted before collect(): drained by cycleCompleted
            return true;
        }

        @Override public Mode mode() { return modes.get((int) (next.getAndIncrement() % modes.size())); }

        @Override public Duration pollInterval() { return Duration.ofMillis(1); }
    }

    @Test
    void shadowModelsHoldForTenThousandCyclesOfEveryTriggerAndMode() throws Exception {
        RotatingPolicy policy = new RotatingPolicy(0.6);
        Map<Trigger, Map<Mode, LongAdder>> cycles = new ConcurrentHashMap<>();
        Histogram pauses = new Histogram(3);
        AtomicLong policyCompleted = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long objectsChecked = 0, rounds = 0, t0 = System.nanoTime();
        try (Heap heap = Heap.create(HeapConfig.defaults().withName("stress").withCapacity(HEAP_BYTES)
                     .withMaxHandles(1 << 17));
             Collector c = Collector.attach(heap, CollectorConfig.defaults().withPolicy(policy).withFaultThreads(2))) {
            List<Mode> modes = new ArrayList<>(c.modeSupport().available());
            modes.add(Mode.AUTO);
            policy.modes = List.copyOf(modes);
            System.out.println("stress: modes " + modes + ", " + MUTATORS + " mutators, heap " + (HEAP_BYTES >> 20)
                    + " MiB, until " + TARGET_CYCLES + " cycles");
            c.addListener(s -> {
                cycles.computeIfAbsent(s.trigger(), k -> new EnumMap<>(Mode.class));
                synchronized (cycles) { cycles.get(s.trigger()).computeIfAbsent(s.mode(), k -> new LongAdder()).increment(); }
                synchronized (pauses) { pauses.recordValue(s.longestPauseNanos()); }
                if (s.trigger() == Trigger.POLICY) policyCompleted.incrementAndGet();
            });
            RecordLayout node = ShadowGraph.defineNode(heap);
            SharedCells shared;
            Phaser phaser = new Phaser(1);
            AtomicLong checked = new AtomicLong();
            try (Mutator setup = heap.attach()) {
                shared = new SharedCells(setup, node, 256);
            }
            class Worker {
                volatile boolean stop, done;

                void run(int id) {
                    SplittableRandom rnd = new SplittableRandom(7919L * id);
                    long round = 0;
                    try (Mutator m = heap.attach()) {
                        ShadowGraph g = new ShadowGraph(m, node, 150, 31L * id);
                        m.blocking(phaser::arriveAndAwaitAdvance);               // started
                        while (!done) {
                            while (!stop) {
                                if (rnd.nextInt(8) == 0) shared.step(m, rnd);
                                else g.step();
                            }
                            m.blocking(phaser::arriveAndAwaitAdvance);           // parked: the test drains and collects
                            m.blocking(phaser::arriveAndAwaitAdvance);           // verify now
                            checked.addAndGet(g.verify() + (id == 0 ? shared.verify(m) : 0));
                            if (++round % RENEW_ROUNDS == 0) g.replaceAll(); // keeps the live set bounded
                            m.blocking(phaser::arriveAndAwaitAdvance);           // verified; the heap verifier runs
                            m.blocking(phaser::arriveAndAwaitAdvance);           // go on
                        }
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                        phaser.forceTermination();
                    }
                }
            }
            Worker w = new Worker();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < MUTATORS; i++) {
                int id = i;
                phaser.register();
                threads.add(Thread.ofPlatform().name("stress-mutator-" + i).start(() -> w.run(id)));
            }
            phaser.arriveAndAwaitAdvance();
            while (c.cycles() < TARGET_CYCLES && failure.get() == null) {
                w.stop = false;
                policy.held = rounds % 2 == 1;            // odd rounds: only failed allocations start cycles
                Thread.sleep(ROUND_MILLIS);
                w.stop = true;
                phaser.arriveAndAwaitAdvance();                                   // every mutator parked
                policy.held = true;
                while (policyCompleted.get() < policy.decided.get() && failure.get() == null) Thread.sleep(1);
                c.collect(modes.get((int) (rounds % modes.size())));
                phaser.arriveAndAwaitAdvance();                                   // verify
                phaser.arriveAndAwaitAdvance();                                   // verified
                HeapVerifier.verify(heap);
                rounds++;
                if (rounds % 25 == 0) System.out.printf("stress: %d cycles, %d rounds, %.0f s, live %.1f MiB%n", c.cycles(),
                        rounds, (System.nanoTime() - t0) / 1e9, c.lastCycle().orElseThrow().memory().liveBytes() / 1048576.0);
                if (TARGET_CYCLES <= c.cycles()) w.done = true;
                phaser.arriveAndAwaitAdvance();                                   // go on
            }
            w.done = true;
            w.stop = true;
            for (Thread t : threads) t.join();
            if (failure.get() != null) throw new AssertionError("after " + c.cycles() + " cycles", failure.get());
            objectsChecked = checked.get();
            long total = c.cycles();
            System.out.printf("stress profile: %d cycles in %.0f s, %d rounds, %d mutators + %d shared cells,"
                            + " %d objects checked against their models, 0 differences, heap verified every round%n",
                    total, (System.nanoTime() - t0) / 1e9, rounds, MUTATORS, 256, objectsChecked);
            for (var e : cycles.entrySet()) System.out.printf("  %-18s %s%n", e.getKey(), e.getValue());
            System.out.printf("  longest pause per cycle, ms: p50 %.2f, p99 %.2f, max %.2f%n", pauses.getValueAtPercentile(50) / 1e6,
                    pauses.getValueAtPercentile(99) / 1e6, pauses.getMaxValue() / 1e6);
            assertTrue(total >= TARGET_CYCLES);
            assertTrue(cycles.containsKey(Trigger.POLICY), "the policy started cycles: " + cycles);
            assertTrue(cycles.containsKey(Trigger.ALLOCATION_FAILURE), "failed allocations started cycles: " + cycles);
            for (Trigger t : Trigger.values())
                if (t != Trigger.EXPLICIT || rounds >= modes.size())
                    assertEquals(modes.size() - 1, cycles.getOrDefault(t, Map.of()).keySet().stream()
                            .filter(m -> m != Mode.AUTO).count() , () -> t + " cycles ran in every concrete mode: " + cycles);
        }
    }
}
