package io.uffdgc.bench.compaction;

import io.uffdgc.bench.workload.HeapGraph;
import io.uffdgc.gc.Collector;
import io.uffdgc.gc.CollectorConfig;
import io.uffdgc.gc.CycleListener;
import io.uffdgc.gc.CycleStats;
import io.uffdgc.gc.Mode;
import io.uffdgc.gc.observe.TraceWriter;
import io.uffdgc.gc.policy.CollectionPolicy;
import io.uffdgc.heap.Heap;
import io.uffdgc.heap.HeapConfig;
import io.uffdgc.heap.Mutator;
import io.uffdgc.heap.layout.RecordLayout;
import io.uffdgc.heap.verify.HeapChecksum;
import io.uffdgc.heap.verify.HeapVerifier;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Android-style compaction benchmark: the same fragmented heap, built afresh
 * from the same seed, collected once per measurement in each mode while mutator
 * threads keep working; modes interleaved (rotated each repetition) so that drift
 * in a noisy machine spreads over all of them. A cycle whose heap does not verify
 * or whose checksum changed is reported as failed, never timed.
 */
public final class CompactionBenchmark {
    private final BenchConfig config;
    private final PrintStream log;
    private boolean liveCounters;
    private java.nio.file.Path trace;
    private boolean traceFaults;

    public CompactionBenchmark(BenchConfig config, PrintStream log) {
        this.config = config;
        this.log = log;
    }

    /**
     * Live counters on in every measured collector (for scripts/gcstat), and a trace of every
     * measured cycle appended to trace (null: none), with a line per fault if faults. Returns this.
     */
    public CompactionBenchmark observe(boolean counters, java.nio.file.Path traceFile, boolean faults) {
        if (faults && traceFile == null) throw new IllegalArgumentException("a fault trace needs a trace file");
        this.liveCounters = counters;
        this.trace = traceFile;
        this.traceFaults = faults;
        return this;
    }

    /** Runs every repetition of every mode; returns the samples grouped by mode, in config order. */
    public Map<Mode, List<Sample>> run() throws InterruptedException {
        return run(true);
    }

    /** As {@link #run()}; warmUp false skips the discarded warm-up cycles (a sweep warms up once). */
    public Map<Mode, List<Sample>> run(boolean warmUp) throws InterruptedException {
        Map<Mode, List<Sample>> byMode = new LinkedHashMap<>();
        for (Mode m : config.modes()) byMode.put(m, new ArrayList<>());
        try (JvmGcPressure pressure = config.jvmGcPressure() ? JvmGcPressure.start() : null) {
            if (warmUp) warmUp();
            for (int rep = 0; rep < config.repeat(); rep++) {
                List<Mode> order = rotated(config.modes(), rep);
                for (Mode mode : order) {
                    Sample s = measure(mode, rep);
                    byMode.get(mode).add(s);
                    log.printf("  %-4s rep %d: %s%n", mode, rep + 1, s.verified()
                            ? String.format("compaction %.1f ms (%s), longest pause %.2f ms, %d faults", s.compactionMillis(),
                                    s.compactionCpu(), s.stats().longestPauseNanos() / 1e6, s.stats().faults().served())
                            : "FAILED: " + s.failure());
                }
            }
            if (pressure != null) log.printf("  JVM GC pressure: %d System.gc() calls during the run%n", pressure.stop());
        }
        return byMode;
    }

    /**
     * One discarded cycle per mode on a small heap, so that the JIT has compiled the
     * workload before anything is timed: on 2 cores, C2 compiling the graph builder
     * would otherwise compete with the first measured pause.
     */
    void warmUp() throws InterruptedException {
        CompactionBenchmark small = new CompactionBenchmark(
                config.withHeapAndLive(Math.min(config.heapBytes(), WARMUP_HEAP), config.live()), log);
        long t0 = System.nanoTime();
        for (Mode mode : config.modes()) {
            Sample s = small.measure(mode, -1);
            if (!s.verified()) throw new IllegalStateException("warm-up cycle in " + mode + " failed: " + s.failure());
        }
        log.printf("  warm-up: one discarded cycle per mode on a %d MiB heap (%.1f s)%n",
                Math.min(config.heapBytes(), WARMUP_HEAP) >> 20, (System.nanoTime() - t0) / 1e9);
    }

    private static final long WARMUP_HEAP = 128L << 20;

    private static List<Mode> rotated(List<Mode> modes, int by) {
        List<Mode> r = new ArrayList<>(modes.size());
        for (int i = 0; i < modes.size(); i++) r.add(modes.get((i + by) % modes.size()));
        return r;
    }

    /** One cycle on a freshly built heap. */
    Sample measure(Mode mode, int rep) throws InterruptedException {
        HeapConfig hc = HeapConfig.defaults().withName("bench-" + mode.name().toLowerCase())
                .withCapacity(config.heapBytes()).withMaxHandles(HeapConfig.DEFAULT_MAX_HANDLES * 4);
        BenchConfig.CollectorTunables t = config.collector();
        CollectorConfig cc = CollectorConfig.defaults().withPolicy(CollectionPolicy.manual())
                .withCompactorThreads(t.compactorThreads()).withFaultThreads(t.faultThreads())
                .withRunPages(t.runPages()).withDensePercent(t.densePercent()).withHugePages(t.hugePages())
                .withFaultHandling(t.faultHandling()).withMarking(t.marking()).withLiveCounters(liveCounters)
                .withMarkThreads(t.markThreads()).withCopySinglePages(t.copySinglePages()).withFaultLog(traceFaults);
        try (Heap heap = Heap.create(hc); Collector collector = Collector.attach(heap, cc)) {
            RecordLayout[][] layouts = HeapGraph.defineLayouts(heap);
            HeapGraph graph;
            try (Mutator builder = heap.attach()) {
                graph = HeapGraph.build(builder, layouts, config.mix(), config.pattern(), config.live(),
                        (long) (config.fill() * config.heapBytes()), config.seed() + rep);
            }
            HeapChecksum before = HeapChecksum.of(heap);
            MutatorLoad load = new MutatorLoad(heap, graph, layouts, config.mutators(), config.seed() + rep,
                    config.stallGap().toNanos(), config.probeInterval().toNanos());
            CycleStats stats;
            MutatorLoad.Measured measured;
            long[] tlb = {-1, -1};                  // at the window's opening, over the window
            CycleListener window = new CycleListener() {
                @Override public void cycleCompleted(CycleStats s) {}
                @Override public void windowOpened(Mode m) {
                    tlb[0] = TlbShootdowns.now();
                    load.windowOpened();
                }
                @Override public void markingStarted() { load.markingStarted(); }
                @Override public void markingEnded() { load.markingEnded(); }
                @Override public void windowClosed(Mode m) {
                    load.windowClosed();
                    long now = TlbShootdowns.now();
                    if (tlb[0] >= 0 && now >= 0) tlb[1] = now - tlb[0];
                }
            };
            collector.addListener(window);
            TraceWriter traceWriter = trace != null && rep >= 0 ? new TraceWriter(trace, hc.name() + "-rep" + rep) : null;
            if (traceWriter != null) collector.addListener(traceWriter);
            try {
                Thread.sleep(config.warmup().toMillis());
                load.cycleStarting();
                stats = collector.collect(mode);
                load.cycleEnded();
            } catch (RuntimeException e) {
                load.close();
                return new Sample(mode, rep, false, "the cycle failed: " + e, null, null, -1);
            } finally {
                collector.removeListener(window);
                if (traceWriter != null) {
                    collector.removeListener(traceWriter);
                    traceWriter.close();
                }
            }
            measured = load.stop();
            try {
                HeapVerifier.verify(heap);
                HeapChecksum after = HeapChecksum.of(heap);
                if (!after.equals(before))
                    return new Sample(mode, rep, false, "checksum changed: before " + before + ", after " + after,
                            stats, measured, tlb[1]);
            } catch (RuntimeException e) {
                return new Sample(mode, rep, false, "the heap does not verify: " + e.getMessage(), stats, measured, tlb[1]);
            }
            return new Sample(mode, rep, true, "", stats, measured, tlb[1]);
        }
    }
}
