package io.uffdgc.bench.peers;

import io.uffdgc.bench.workload.HeapGraph;
import io.uffdgc.bench.workload.ObjectMix;
import io.uffdgc.gc.Collector;
import io.uffdgc.gc.CollectorConfig;
import io.uffdgc.gc.CycleListener;
import io.uffdgc.gc.CyclePause;
import io.uffdgc.gc.CycleStats;
import io.uffdgc.heap.Heap;
import io.uffdgc.heap.HeapConfig;
import io.uffdgc.heap.Mutator;
import io.uffdgc.heap.layout.RecordLayout;
import io.uffdgc.heap.verify.HeapVerifier;
import io.uffdgc.heap.verify.VerificationResult;
import io.uffdgc.uffd.Memory;
import io.uffdgc.uffd.gen.ugc_gc_stats;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.HdrHistogram.Histogram;

/**
 * The workload on a uffdgc heap of capacity {@code --heap}, collected in MOVE mode by
 * the occupancy policy (a cycle once the heap is 75% full), as an application would
 * run it. The graph is {@link HeapGraph}'s; the operations mirror {@link JavaWorld}'s
 * through handles. Pauses are the collector's own heap safepoints, every one of each cycle
 * ({@link CycleStats#pauses()}: with concurrent marking begin, remark, tail and flip; each from the
 * safepoint request until the mutators resume), recorded while the run is measured.
 */
final class UffdgcWorld implements Churn.World, Churn.Phases, AutoCloseable {
    static final double OCCUPANCY = 0.75;

    private final Heap heap;
    private final Collector collector;
    private final HeapGraph graph;
    private final RecordLayout[][] layouts;
    private final PeerWorkload workload;
    private final long[] roots;
    private final Histogram pauses = new Histogram(3);
    private final Map<String, Long> tally = new LinkedHashMap<>();
    private volatile boolean measuring;

    private UffdgcWorld(Heap heap, Collector collector, HeapGraph graph, RecordLayout[][] layouts, PeerWorkload w) {
        this.heap = heap;
        this.collector = collector;
        this.graph = graph;
        this.layouts = layouts;
        this.workload = w;
        this.roots = graph.recordRoots().stream().mapToLong(Long::longValue).toArray();
        collector.addListener(this::cycleCompleted);
    }

    static UffdgcWorld build(PeerWorkload w) {
        Heap heap = Heap.create(HeapConfig.defaults().withName("peers").withCapacity(w.heapBytes()));
        Collector collector = null;
        try {
            PeerWorkload.UffdgcTuning t = w.uffdgc();
            collector = Collector.attach(heap, CollectorConfig.defaults()
                    .withPolicy(t.policy().policy(t.occupancy())).withCompactorThreads(t.compactorThreads())
                    .withFaultThreads(t.faultThreads()).withRunPages(t.runPages()).withDensePercent(t.densePercent())
                    .withHugePages(t.hugePages()));
            RecordLayout[][] layouts = HeapGraph.defineLayouts(heap);
            HeapGraph graph;
            try (Mutator builder = heap.attach()) {
                graph = HeapGraph.build(builder, layouts, w.mix(), w.pattern(), w.live(), w.buildBytes(), w.seed());
            }
            return new UffdgcWorld(heap, collector, graph, layouts, w);
        } catch (RuntimeException e) {
            if (collector != null) collector.close();
            heap.close();
            throw e;
        }
    }

    long liveObjects() { return graph.liveObjects(); }

    /** Bytes the graph build allocated (the heap top's advance, TLAB waste included). */
    long allocatedBytes() { return graph.allocatedBytes(); }

    private void cycleCompleted(CycleStats s) {
        if (!measuring) return;
        synchronized (tally) {
            for (CyclePause p : s.pauses()) {
                pauses.recordValue(p.nanos());
                // Which kind the longest pauses are, and how much of each was time to safepoint.
                String kind = p.kind().name().toLowerCase();
                tally.merge("pause_max_us_" + kind, p.nanos() / 1000, Math::max);
                tally.merge("ttsp_max_us_" + kind, p.timeToSafepointNanos() / 1000, Math::max);
            }
            // The FLIP pause's parts, as the engine times them (the longest of each over the run).
            tally.merge("flip_tail_plan_max_us", s.engine().get(ugc_gc_stats::tail_plan_ns) / 1000, Math::max);
            tally.merge("flip_tail_max_bytes", s.engine().get(ugc_gc_stats::tail_bytes), Math::max);
            tally.merge("flip_roots_max_us", s.engine().get(ugc_gc_stats::flip_roots_ns) / 1000, Math::max);
            tally.merge("flip_roots_in_pause_max", s.engine().get(ugc_gc_stats::roots_in_pause), Math::max);
            tally.merge("flip_remap_max_us", s.engine().get(ugc_gc_stats::flip_remap_ns) / 1000, Math::max);
            tally.merge("cycles", 1L, Long::sum);
            tally.merge("cycles_" + s.mode().name().toLowerCase() + "_" + s.trigger().name().toLowerCase(), 1L, Long::sum);
            tally.merge("window_ms_total", s.timings().windowNanos() / 1_000_000, Long::sum);
            tally.merge("pages_moved", s.pages().moved(), Long::sum);
            tally.merge("pages_copied", s.pages().copied(), Long::sum);
            tally.merge("pages_by_faults", s.pages().byFaults(), Long::sum);
            tally.merge("faults_served", s.faults().served(), Long::sum);
            tally.merge("ebusy_fallbacks", s.pages().ebusyFallbacks(), Long::sum);
            tally.merge("freed_mib", s.memory().freedBytes() >> 20, Long::sum);
        }
    }

    @Override public void measuringStarted() { measuring = true; }

    @Override public void measuringStopped() { measuring = false; }

    /** Flip pauses of the cycles that completed while measuring, nanoseconds. */
    Histogram pauses() {
        synchronized (tally) { return pauses.copy(); }
    }

    /** Cycle counts and page counters summed over the measured cycles. */
    Map<String, Long> tally() {
        synchronized (tally) { return new LinkedHashMap<>(tally); }
    }

    /** Resident bytes of the heap's reservation: how much of the whole process's RSS the heap itself is. */
    long residentBytes() { return Memory.residentBytes(heap.base(), heap.capacity()); }

    /** Checks every reference in the heap after the run; throws at the first corruption. */
    VerificationResult verify() { return HeapVerifier.verify(heap); }

    /** Thread t works on roots t, t+n, ...: no two threads edit one chain. */
    @Override
    public Churn.Ops open(int thread, int threads, SplittableRandom rnd) {
        long[] mine = new long[(roots.length - thread + threads - 1) / threads];
        for (int i = 0; i < mine.length; i++) mine[i] = roots[thread + i * threads];
        if (mine.length == 0) throw new IllegalStateException("mutator " + thread + " got no chain: the graph is too small");
        return new HeapOps(heap.attach(), mine, layouts, workload.mix(), workload.temporaries(), rnd);
    }

    @Override
    public void close() {
        collector.close();
        heap.close();
    }

    private static final class HeapOps implements Churn.Ops {
        final Mutator m;
        final long[] roots;
        final RecordLayout[][] layouts;
        final ObjectMix mix;
        final int temporaries;
        final SplittableRandom rnd;
        final byte[] data = new byte[128];
        final long[] ring = new long[JavaWorld.TEMPORARY_RING];    // handles, 0 = empty
        int next;

        HeapOps(Mutator m, long[] roots, RecordLayout[][] layouts, ObjectMix mix, int temporaries, SplittableRandom rnd) {
            this.m = m;
            this.roots = roots;
            this.layouts = layouts;
            this.mix = mix;
            this.temporaries = temporaries;
            this.rnd = rnd;
            rnd.nextBytes(data);
        }

        /** A new handle on a random root's chain, followed up to 15 links. */
        private long walk() {
            long cursor = m.duplicate(roots[rnd.nextInt(roots.length)]);
            for (int steps = rnd.nextInt(16); steps > 0; steps--)
                if (!m.getRefInto(cursor, 0, cursor)) break;
            return cursor;
        }

        @Override
        public long read() {
            long c = walk();
            long v = m.getLong(c, 0);
            m.release(c);
            return v;
        }

        @Override
        public void write() {
            long c = walk();
            m.putLong(c, 0, rnd.nextLong());
            m.release(c);
        }

        @Override
        public void replace() {
            long e = walk();
            long s = m.getRef(e, 0);
            RecordLayout layout = (RecordLayout) m.layoutOf(s != 0 ? s : e);
            long n = m.allocate(layout);
            m.putBytes(n, 0, data, 0, layout.dataBytes());
            m.putLong(n, 0, rnd.nextLong());
            if (s != 0) {                     // else e ends its chain: the new record is garbage at once
                long tmp = m.duplicate(s);
                for (int slot = 0; slot < layout.nrefs(); slot++)
                    if (m.getRefInto(s, slot, tmp)) m.putRef(n, slot, tmp);
                m.putRef(e, 0, n);
                m.release(tmp);
                m.release(s);
            }
            m.release(n);
            m.release(e);
            for (int i = 0; i < temporaries; i++) {
                long t = temporary(mix.next(rnd), i);
                if (ring[next] != 0) m.release(ring[next]);
                ring[next] = t;
                next = (next + 1) % ring.length;
            }
        }

        /** Allocates an object of the shape, writing a record's data as the Java world does. */
        private long temporary(ObjectMix.Shape shape, long x) {
            long h = HeapGraph.allocate(m, layouts, shape);
            if (shape instanceof ObjectMix.Record r) {
                m.putBytes(h, 0, data, 0, r.dataBytes());
                m.putLong(h, 0, x);
            }
            return h;
        }

        @Override public void poll() { m.safepoint(); }

        @Override
        public void close() {
            for (long t : ring) if (t != 0) m.release(t);
            m.close();
        }
    }
}
