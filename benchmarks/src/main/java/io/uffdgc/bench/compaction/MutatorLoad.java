package io.uffdgc.bench.compaction;

import io.uffdgc.bench.report.Mmu;
import io.uffdgc.bench.workload.HeapGraph;
import io.uffdgc.heap.Heap;
import io.uffdgc.heap.Mutator;
import io.uffdgc.heap.layout.RecordLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;
import org.agrona.collections.LongArrayList;

/**
 * Application threads that keep working on the heap while a cycle runs: they walk
 * chains of live records from random roots (reads), update the mutable word of a
 * record they reach (writes), and allocate new records (garbage). Each operation is
 * timed into an HdrHistogram; operations that start while the compaction window is
 * open are counted separately, so stalls on missing pages show up there.
 *
 * <p>Each thread also keeps its progress timestamps: the end of every operation. The
 * time from one to the next is what an operation due right after the previous one
 * waited for (a heap safepoint included): recorded for the operations of the cycle, it
 * is corrected for coordinated omission after the run ({@link Measured#cycleLatencyCorrected}).
 * A step longer than the stall gap counts wholly as a stall of that thread: pauses, fault
 * stalls and being descheduled, for the minimum mutator utilization ({@link Measured#mmu}).
 *
 * <p>Writes put a new value into a record's first data word, read it back, then
 * restore the old value, and each thread writes only into chains of its own roots:
 * the heap's content after the cycle equals its content before, which the
 * benchmark checks with a checksum.
 */
final class MutatorLoad implements AutoCloseable {
    /** Whether the compaction window is open; written by the collector's listener. */
    private volatile boolean windowOpen;
    /** Whether a cycle is under way: from the collect() call until it returned. */
    private volatile boolean cycleOn;
    /** Whether concurrent marking runs (the write barrier is on): between the listener's marking events. */
    private volatile boolean markingOn;
    /** System.nanoTime() of the cycle's and of marking's start and end (0: not seen). */
    private volatile long cycleStart, cycleEnd, markingStart, markingEnd;
    private volatile boolean stop;
    private final long stallGapNanos;
    private final Heap heap;
    private final FaultProbe probe;
    private Histogram probeStalls = new Histogram(3);
    private final List<Worker> workers = new ArrayList<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private long processCpuAtStart;

    /**
     * @param stallGapNanos a step between two progress timestamps longer than this is a stall
     * @param probeNanos    the fault probe's interval while the window is open ({@link FaultProbe}); 0: none
     */
    MutatorLoad(Heap heap, HeapGraph graph, RecordLayout[][] layouts, int threads, long seed, long stallGapNanos,
                long probeNanos) {
        this.stallGapNanos = stallGapNanos;
        this.heap = heap;
        this.probe = new FaultProbe(probeNanos, seed ^ 0x5DEECE66DL);
        List<Long> recordRoots = graph.recordRoots();
        CountDownLatch started = new CountDownLatch(threads);
        for (int t = 0; t < threads; t++) {
            List<Long> mine = new ArrayList<>();
            for (int i = t; i < recordRoots.size(); i += threads) mine.add(recordRoots.get(i));
            Worker w = new Worker(heap, mine, layouts, new SplittableRandom(seed + 31L * t), started);
            workers.add(w);
            Thread th = new Thread(w, "bench-mutator-" + t);
            th.setDaemon(true);
            w.thread = th;
            th.start();
        }
        try {
            started.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        processCpuAtStart = processCpuNanos();
    }

    /** The CPU time of every thread of this process so far (the JVM's included). */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** The window opened on the heap's used range: the probe touches its pages (allocation continues above). */
    void windowOpened() {
        windowOpen = true;
        probe.start(heap.base() + heap.start(), heap.base() + heap.top());
    }

    void windowClosed() {
        windowOpen = false;
        try {
            probeStalls = probe.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failure.compareAndSet(null, e); // stop() rethrows it: a listener's exception would only be logged
        }
    }

    void cycleStarting() {
        cycleStart = System.nanoTime();
        cycleOn = true;
    }

    void cycleEnded() {
        cycleOn = false;
        cycleEnd = System.nanoTime();
    }

    void markingStarted() {
        markingStart = System.nanoTime();
        markingOn = true;
    }

    void markingEnded() {
        markingOn = false;
        markingEnd = System.nanoTime();
    }

    /** Stops the threads and returns what they measured; rethrows what any of them threw. */
    Measured stop() throws InterruptedException {
        stop = true;
        Histogram window = new Histogram(3), outside = new Histogram(3);
        Histogram cycleSteps = new Histogram(3), otherSteps = new Histogram(3);
        List<long[]> stalls = new ArrayList<>();
        long start = Long.MAX_VALUE, end = Long.MIN_VALUE, outsideOps = 0, markingOps = 0;
        for (Worker w : workers) {
            w.thread.join();
            window.add(w.windowLatency);
            outside.add(w.outsideLatency);
            cycleSteps.add(w.cycleSteps);
            otherSteps.add(w.otherSteps);
            stalls.add(w.stalls.toLongArray());
            start = Math.min(start, w.firstProgress);
            end = Math.max(end, w.lastProgress);
            outsideOps += w.outsideCycleOps;
            markingOps += w.markingOps;
        }
        long processCpu = processCpuNanos() - processCpuAtStart;
        Throwable t = failure.get();
        if (t != null) throw new IllegalStateException("a mutator failed: " + t, t);
        // Outside the cycle: before collect() was called and after it returned, while the threads ran.
        long outsideNanos = cycleStart == 0 ? 0 : (cycleStart - start) + Math.max(0, end - cycleEnd);
        long markingNanos = markingEnd > markingStart ? markingEnd - markingStart : 0;
        return new Measured(window, outside, cycleSteps, otherSteps, start, end, stalls,
                outsideNanos > 0 ? outsideOps / (outsideNanos / 1e9) : Double.NaN,
                markingNanos > 0 ? markingOps / (markingNanos / 1e9) : Double.NaN, probeStalls, processCpu);
    }

    @Override
    public void close() throws InterruptedException {
        if (!stop) stop();
    }

    /**
     * What the mutator threads measured.
     *
     * @param windowLatency  operation times (ns) of operations that started while the window was open
     * @param outsideLatency the same outside the window
     * @param cycleSteps     per operation of the cycle (collect() called until it returned), the time since the
     *                       thread's previous operation ended (ns): as measured, before any correction
     * @param otherSteps     the same for the operations outside the cycle
     * @param start          the first progress timestamp (System.nanoTime)
     * @param end            the last one
     * @param stalls         per thread, its stalls as pairs {from, to}
     * @param outsideCycleOpsPerSecond all threads' operations per second outside the cycle (NaN: not measured)
     * @param markingOpsPerSecond      the same while concurrent marking ran, the write barrier on (NaN: no
     *                                 concurrent marking)
     * @param faultStalls              the fault probe's timed touches (ns): a fault's stall as the faulting thread saw it
     * @param processCpuNanos          CPU time of the whole process while the threads ran (from their start to their join)
     */
    record Measured(Histogram windowLatency, Histogram outsideLatency, Histogram cycleSteps, Histogram otherSteps,
                    long start, long end, List<long[]> stalls, double outsideCycleOpsPerSecond,
                    double markingOpsPerSecond, Histogram faultStalls, long processCpuNanos) {
        /** What no mutator thread measured (a run without mutators). */
        static final Measured NONE = new Measured(new Histogram(3), new Histogram(3), new Histogram(3), new Histogram(3),
                0, 0, List.of(), Double.NaN, Double.NaN, new Histogram(3), 0);

        /** All threads' operations, in the cycle and outside it. */
        long ops() { return cycleSteps.getTotalCount() + otherSteps.getTotalCount(); }

        /** All threads' operations per second from the first progress timestamp to the last (NaN: none). */
        double opsPerSecond() { return end > start ? ops() / ((end - start) / 1e9) : Double.NaN; }

        /**
         * The whole process's CPU time per mutator operation over the run (ns; NaN: none): on
         * saturated cores, what any extra work (the collector's, an observer's) takes from the
         * mutators shows here, and CPU time the machine gave to other guests does not.
         */
        double processCpuNanosPerOp() { return ops() > 0 ? processCpuNanos / (double) ops() : Double.NaN; }

        /** Operations that started while the window was open. */
        long windowOps() { return windowLatency.getTotalCount(); }

        /**
         * The expected interval between two operations of one thread, for the correction:
         * the median step outside the cycle (what the loop achieves undisturbed).
         */
        long expectedIntervalNanos() { return Math.max(1, otherSteps.getValueAtPercentile(50)); }

        /**
         * The cycle's operation latencies corrected for coordinated omission: a closed loop
         * stuck for a long step did not issue the operations it would have issued meanwhile;
         * HdrHistogram adds them, one per expected interval, with the latency each would have
         * seen ({@code copyCorrectedForCoordinatedOmission}, the same as recording every step
         * with {@code recordValueWithExpectedInterval}).
         */
        Histogram cycleLatencyCorrected() { return cycleSteps.copyCorrectedForCoordinatedOmission(expectedIntervalNanos()); }

        /** The minimum mutator utilization of this run, from the threads' stalls; null without mutators. */
        Mmu mmu() { return stalls.isEmpty() || end <= start ? null : new Mmu(start, end, stalls.size(), stalls); }
    }

    private final class Worker implements Runnable {
        final Heap heap;
        final List<Long> roots;
        final RecordLayout[][] layouts;
        final SplittableRandom rnd;
        final CountDownLatch started;
        final Histogram windowLatency = new Histogram(3), outsideLatency = new Histogram(3);
        final Histogram cycleSteps = new Histogram(3), otherSteps = new Histogram(3);
        final LongArrayList stalls = new LongArrayList();
        long firstProgress, lastProgress;
        /** Operations that started and ended outside the cycle, and that started while marking ran. */
        long outsideCycleOps, markingOps;
        Thread thread;

        Worker(Heap heap, List<Long> roots, RecordLayout[][] layouts, SplittableRandom rnd, CountDownLatch started) {
            this.heap = heap;
            this.roots = roots;
            this.layouts = layouts;
            this.rnd = rnd;
            this.started = started;
        }

        @Override
        public void run() {
            try (Mutator m = heap.attach()) {
                long[] young = new long[256];
                started.countDown();
                long sink = 0;
                long prev = System.nanoTime();
                firstProgress = prev;
                while (!stop) {
                    boolean cycleAtStart = cycleOn;
                    m.safepoint();
                    boolean inWindow = windowOpen, marking = markingOn;
                    long t0 = System.nanoTime();
                    int op = rnd.nextInt(10);
                    if (op < 7) sink += read(m);
                    else if (op < 9) write(m);
                    else allocate(m, young);
                    long now = System.nanoTime();
                    (inWindow ? windowLatency : outsideLatency).recordValue(now - t0);
                    long step = now - prev;
                    boolean inCycle = cycleAtStart || cycleOn;
                    (inCycle ? cycleSteps : otherSteps).recordValue(step);
                    if (!inCycle) outsideCycleOps++;
                    if (marking) markingOps++;
                    if (step > stallGapNanos) {
                        stalls.addLong(prev);
                        stalls.addLong(now);
                    }
                    prev = now;
                }
                lastProgress = prev;
                if (sink == 42) System.out.print("");  // keep the reads alive
                for (long y : young) if (y != 0) m.release(y);
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
                started.countDown();
            }
        }

        /** A new handle on a random root's chain, after following reference slot 0 up to 15 times. */
        private long walk(Mutator m) {
            long cursor = m.duplicate(roots.get(rnd.nextInt(roots.size())));
            for (int steps = rnd.nextInt(16); steps > 0; steps--)
                if (!m.getRefInto(cursor, 0, cursor)) break;
            return cursor;
        }

        private long read(Mutator m) {
            long cursor = walk(m);
            long v = m.getLong(cursor, 0);
            m.release(cursor);
            return v;
        }

        private void write(Mutator m) {
            long cursor = walk(m);
            long old = m.getLong(cursor, 0);
            m.putLong(cursor, 0, ~old);
            if (m.getLong(cursor, 0) != ~old) throw new IllegalStateException("a write to the heap was lost");
            m.putLong(cursor, 0, old);
            m.release(cursor);
        }

        private void allocate(Mutator m, long[] young) {
            RecordLayout l = layouts[1 + rnd.nextInt(layouts.length - 1)][rnd.nextInt(layouts[1].length)];
            long h = m.allocate(l);
            m.putLong(h, 0, rnd.nextLong());
            int i = rnd.nextInt(young.length);
            if (young[i] != 0) m.release(young[i]);
            young[i] = h;
        }
    }
}
