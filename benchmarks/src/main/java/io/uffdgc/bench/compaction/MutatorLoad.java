package io.uffdgc.bench.compaction;

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

/**
 * Application threads that keep working on the heap while a cycle runs: they walk
 * chains of live records from random roots (reads), update the mutable word of a
 * record they reach (writes), and allocate new records (garbage). Each operation is
 * timed into an HdrHistogram; operations that start while the compaction window is
 * open are counted separately, so stalls on missing pages show up there, and so are those
 * that start while concurrent marking runs (the write barrier is on then), and every
 * phase's length is kept, for throughput per phase.
 *
 * <p>Writes put a new value into a record's first data word, read it back, then
 * restore the old value, and each thread writes only into chains of its own roots:
 * the heap's content after the cycle equals its content before, which the
 * benchmark checks with a checksum.
 */
final class MutatorLoad implements AutoCloseable {
    /** Which phase of the cycle operations meet; written by the collector's listener. */
    private volatile int phase = OUTSIDE;
    static final int OUTSIDE = 0, MARKING = 1, WINDOW = 2;
    /** Nanoseconds each phase lasted, and when the current one began; written by the listener's thread only. */
    private final long[] phaseNanos = new long[3];
    private long phaseStart = System.nanoTime();
    private volatile boolean stop;
    private final List<Worker> workers = new ArrayList<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    MutatorLoad(Heap heap, HeapGraph graph, RecordLayout[][] layouts, int threads, long seed) {
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
    }

    void windowOpened() { enter(WINDOW); }

    void windowClosed() { enter(OUTSIDE); }

    void markingStarted() { enter(MARKING); }

    void markingEnded() { enter(OUTSIDE); }

    private synchronized void enter(int next) {
        long now = System.nanoTime();
        phaseNanos[phase] += now - phaseStart;
        phaseStart = now;
        phase = next;
    }

    /** Stops the threads and returns what they measured; rethrows what any of them threw. */
    Measured stop() throws InterruptedException {
        stop = true;
        enter(OUTSIDE);
        Histogram window = new Histogram(3), outside = new Histogram(3), marking = new Histogram(3);
        for (Worker w : workers) {
            w.thread.join();
            window.add(w.latency[WINDOW]);
            outside.add(w.latency[OUTSIDE]);
            marking.add(w.latency[MARKING]);
        }
        Throwable t = failure.get();
        if (t != null) throw new IllegalStateException("a mutator failed: " + t, t);
        synchronized (this) {
            return new Measured(window, outside, marking, phaseNanos[OUTSIDE], phaseNanos[MARKING]);
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (!stop) stop();
    }

    /**
     * Operation latencies (ns) inside the window, outside any phase of the cycle (pauses and
     * the concurrent plan included), and while marking ran; how long those last two lasted.
     */
    record Measured(Histogram windowLatency, Histogram outsideLatency, Histogram markingLatency, long outsideNanos,
                    long markingNanos) {
        /** Operations that started while the window was open. */
        long windowOps() { return windowLatency.getTotalCount(); }

        /** Operations per second outside the window and marking (warm-up included): the barrier is off. */
        double outsideOpsPerSecond() { return outsideNanos > 0 ? outsideLatency.getTotalCount() / (outsideNanos / 1e9) : 0; }

        /** Operations per second while concurrent marking ran: the barrier is on (0 without concurrent marking). */
        double markingOpsPerSecond() { return markingNanos > 0 ? markingLatency.getTotalCount() / (markingNanos / 1e9) : 0; }
    }

    private final class Worker implements Runnable {
        final Heap heap;
        final List<Long> roots;
        final RecordLayout[][] layouts;
        final SplittableRandom rnd;
        final CountDownLatch started;
        final Histogram[] latency = {new Histogram(3), new Histogram(3), new Histogram(3)}; // by phase
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
                while (!stop) {
                    m.safepoint();
                    int in = phase;
                    long t0 = System.nanoTime();
                    int op = rnd.nextInt(10);
                    if (op < 7) sink += read(m);
                    else if (op < 9) write(m);
                    else allocate(m, young);
                    long dt = System.nanoTime() - t0;
                    latency[in].recordValue(dt);
                }
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
