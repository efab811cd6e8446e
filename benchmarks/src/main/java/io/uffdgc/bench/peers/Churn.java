package io.uffdgc.bench.peers;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;

/**
 * The steady state both worlds run: N threads, each doing 70% reads, 20% writes and
 * 10% replacements (an allocation that swaps a chain element's successor for a new
 * record, so the live size stays put while garbage accrues). A replacement also
 * allocates a number of temporaries, objects of the mix that a small per-thread ring
 * keeps reachable for a moment (so that no JIT can elide them) and then drops: the
 * short-lived garbage every real application makes, and without which a 1 GiB heap
 * would see hardly one collection in 20 s. Each operation is timed,
 * safepoint polls and stops included, so the latency histogram shows what the
 * application felt of the collector, in either world, by the same clock.
 */
final class Churn {
    /** One thread's view of a world's graph; opened and closed on that thread. */
    interface Ops extends AutoCloseable {
        /** Walks a chain, returns a data word of the record reached. */
        long read();

        /** Walks a chain, overwrites a data word of the record reached. */
        void write();

        /**
         * Walks a chain, replaces the successor of the record reached with a new record of
         * the same shape, and allocates the workload's temporaries.
         */
        void replace();

        /** Where a world's threads poll for its own safepoints (a no-op on the Java heap). */
        default void poll() {}

        @Override
        void close();
    }

    /** Opens the Ops of thread number `thread` of `threads`, on the calling thread. */
    @FunctionalInterface
    interface World {
        Ops open(int thread, int threads, SplittableRandom rnd);
    }

    /** Hooks that mark the measured period, e.g. to start and stop pause recording. */
    interface Phases {
        void measuringStarted();

        void measuringStopped();
    }

    /**
     * @param ops            operations completed while measuring (all threads)
     * @param seconds        length of the measured period
     * @param opLatencyNanos latency of those operations
     */
    record Result(long ops, double seconds, Histogram opLatencyNanos) {
        double opsPerSecond() { return ops / seconds; }
    }

    private volatile boolean measuring;
    private volatile boolean stop;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    private Churn() {}

    static Result run(World world, int threads, double warmupSeconds, double seconds, long seed, Phases phases)
            throws InterruptedException {
        return new Churn().runThreads(world, threads, warmupSeconds, seconds, seed, phases);
    }

    private Result runThreads(World world, int threads, double warmupSeconds, double seconds, long seed, Phases phases)
            throws InterruptedException {
        CountDownLatch opened = new CountDownLatch(threads);
        List<Worker> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Worker w = new Worker(world, t, threads, new SplittableRandom(seed + 7919L * t), opened);
            w.thread.start();
            workers.add(w);
        }
        opened.await();
        sleep(warmupSeconds);
        phases.measuringStarted();
        long t0 = System.nanoTime();
        measuring = true;
        sleep(seconds);
        measuring = false;
        long t1 = System.nanoTime();
        phases.measuringStopped();
        stop = true;
        Histogram latency = new Histogram(3);
        long ops = 0;
        for (Worker w : workers) {
            w.thread.join();
            latency.add(w.latency);
            ops += w.latency.getTotalCount();
        }
        Throwable t = failure.get();
        if (t != null) throw new IllegalStateException("a mutator thread failed: " + t, t);
        return new Result(ops, (t1 - t0) / 1e9, latency);
    }

    private void sleep(double seconds) throws InterruptedException {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        for (long left; (left = end - System.nanoTime()) > 0 && failure.get() == null; )
            Thread.sleep(Math.max(1, Math.min(100, left / 1_000_000)));
    }

    private final class Worker implements Runnable {
        final World world;
        final int index, threads;
        final SplittableRandom rnd;
        final CountDownLatch opened;
        final Histogram latency = new Histogram(3);
        final Thread thread;

        Worker(World world, int index, int threads, SplittableRandom rnd, CountDownLatch opened) {
            this.world = world;
            this.index = index;
            this.threads = threads;
            this.rnd = rnd;
            this.opened = opened;
            this.thread = new Thread(this, "peers-mutator-" + index);
            thread.setDaemon(true);
        }

        @Override
        public void run() {
            long sink = 0;
            try (Ops ops = world.open(index, threads, rnd)) {
                opened.countDown();
                while (!stop) {
                    boolean timed = measuring;
                    long t0 = System.nanoTime();
                    ops.poll();
                    int op = rnd.nextInt(10);
                    if (op < 7) sink += ops.read();
                    else if (op < 9) ops.write();
                    else ops.replace();
                    if (timed) latency.recordValue(System.nanoTime() - t0);
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
                opened.countDown();
            }
            if (sink == 42) System.err.print("");  // keeps the reads from being optimised away
        }
    }
}
