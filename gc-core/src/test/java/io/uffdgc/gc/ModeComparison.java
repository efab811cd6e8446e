package io.uffdgc.gc;

import io.uffdgc.heap.Heap;
import io.uffdgc.heap.HeapConfig;
import io.uffdgc.heap.Mutator;
import io.uffdgc.heap.layout.RecordLayout;
import io.uffdgc.heap.verify.HeapVerifier;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.HdrHistogram.Histogram;

/**
 * Side-by-side figures for the report: a 1 GiB heap filled to ~90% with records and
 * byte arrays of which 25/50/75% stay reachable (uniformly scattered), one cycle per
 * mode on an identically built heap while a mutator reads random live objects.
 * Prints pause, window and fault service-time percentiles; medians over reps.
 * Not a test: run with {@code java -cp ... io.uffdgc.gc.ModeComparison [reps]}.
 */
public final class ModeComparison {
    static final long CAPACITY = 1L << 30;
    static final int ROOT_ARRAY = 4096;

    public static void main(String[] args) throws Exception {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        System.out.printf("%-5s %-5s %10s %10s %10s %10s %9s %9s %9s %8s %8s%n", "live", "mode", "pause ms",
                "mark+plan", "window ms", "total ms", "fault p50", "fault p99", "faults", "byFault", "fresh");
        for (int live : new int[] {25, 50, 75}) {
            for (Mode mode : new Mode[] {Mode.STW, Mode.COPY, Mode.MOVE}) {
                List<CycleStats> runs = new ArrayList<>();
                for (int r = 0; r < reps; r++) runs.add(oneCycle(live / 100.0, mode, 11 + r));
                runs.sort((a, b) -> Long.compare(a.timings().pauseNanos() + a.timings().windowNanos(), b.timings().pauseNanos() + b.timings().windowNanos()));
                CycleStats s = runs.get(runs.size() / 2);
                Histogram h = new Histogram(60_000_000_000L, 3);
                for (CycleStats c : runs) h.add(c.faults().serviceNanos());
                System.out.printf("%-5s %-5s %10.2f %10.2f %10.2f %10.2f %8.1fus %8.1fus %9d %8d %8d%n", live + "%", mode,
                        s.timings().pauseNanos() / 1e6, (s.timings().markNanos() + s.timings().planNanos()) / 1e6, s.timings().windowNanos() / 1e6,
                        s.timings().totalNanos() / 1e6, h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(99) / 1e3,
                        s.faults().served(), s.pages().byFaults(), s.pages().fresh());
                System.out.println("      " + s);
            }
        }
    }

    static CycleStats oneCycle(double liveShare, Mode mode, long seed) throws Exception {
        try (Heap heap = Heap.create(HeapConfig.defaults().withName("compare").withCapacity(CAPACITY).withMaxHandles(1 << 16));
             Collector collector = Collector.attach(heap, CollectorModesTest.manual())) {
            List<Long> roots = new ArrayList<>();
            try (Mutator m = heap.attach()) {
                fill(heap, m, liveShare, seed, roots);
            }
            ReaderThread reader = new ReaderThread(heap, roots, seed);
            reader.start();
            reader.ready.await();
            CycleStats s = collector.collect(mode);
            reader.stop = true;
            reader.join();
            if (reader.failure != null) throw new AssertionError("reader failed", reader.failure);
            HeapVerifier.verify(heap);
            return s;
        }
    }

    /** Fills ~90% of the heap; each object stays reachable (from a root ref array) with probability liveShare. */
    static void fill(Heap heap, Mutator m, double liveShare, long seed, List<Long> roots) {
        RecordLayout node = ShadowGraph.defineNode(heap);
        SplittableRandom rnd = new SplittableRandom(seed);
        long array = 0, previous = 0;
        int slot = ROOT_ARRAY;
        while (heap.top() < CAPACITY * 9 / 10) {
            if (slot == ROOT_ARRAY) {
                array = m.newRefArray(ROOT_ARRAY);
                roots.add(array);
                slot = 0;
            }
            long h;
            if (rnd.nextInt(4) == 0) {
                h = m.newByteArray(64 + rnd.nextInt(448));
            } else {
                h = m.allocate(node);
                m.putLong(h, 0, rnd.nextLong());
                if (previous != 0) m.putRef(h, 0, previous); // references to rewrite
            }
            if (rnd.nextDouble() < liveShare) {
                m.putRefElement(array, slot++, h);
                if (previous != 0) m.release(previous);
                previous = h;
            } else {
                m.release(h);
            }
        }
    }

    /** A mutator reading random reachable objects (and so faulting on to-space pages) during the window. */
    static final class ReaderThread extends Thread {
        final java.util.concurrent.CountDownLatch ready = new java.util.concurrent.CountDownLatch(1);
        final Heap heap;
        final List<Long> roots;
        final long seed;
        volatile boolean stop;
        volatile Throwable failure;
        long sink;

        ReaderThread(Heap heap, List<Long> roots, long seed) {
            super("reader");
            this.heap = heap;
            this.roots = roots;
            this.seed = seed;
        }

        @Override
        public void run() {
            SplittableRandom rnd = new SplittableRandom(seed);
            try (Mutator m = heap.attach()) {
                ready.countDown();
                while (!stop) {
                    long h = m.getRefElement(roots.get(rnd.nextInt(roots.size())), rnd.nextInt(ROOT_ARRAY));
                    if (h != 0) {
                        sink += m.layoutOf(h).id(); // reads the header: faults on an unmapped page
                        m.release(h);
                    }
                }
            } catch (RuntimeException e) {
                failure = e;
            }
        }
    }
}
