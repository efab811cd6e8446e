package io.uffdgc.bench.compaction;

import io.uffdgc.bench.report.RatioInterval;
import io.uffdgc.bench.workload.ObjectMix;
import io.uffdgc.bench.workload.SurvivalPattern;
import io.uffdgc.gc.FaultHandling;
import io.uffdgc.gc.Marking;
import io.uffdgc.gc.Mode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One configuration of the compaction benchmark: every tunable of a run, each settable
 * from the command line ({@link CompactionOptions}) and written to the result's config.
 *
 * @param heapBytes        heap capacity
 * @param fill             share of the capacity allocated before the cycle (live and dead)
 * @param live             share of the allocated objects that stay reachable
 * @param warmup           how long the mutators run before the cycle starts
 * @param jvmGcPressure    a side thread allocates Java garbage and calls System.gc() throughout
 * @param collector        the collector's own tunables (threads, run length, dense prefix, huge pages)
 * @param stallGap         a mutator step (one operation's end to the next's) longer than this is a stall (MMU)
 * @param basis            what the headline ratio compares: the compaction's wall time or its CPU time
 * @param probeInterval    time between two reads of the fault probe while the window is open (FaultProbe); 0: none
 */
public record BenchConfig(long heapBytes, double fill, double live, SurvivalPattern pattern, ObjectMix mix,
                          int mutators, List<Mode> modes, int repeat, long seed, Duration warmup,
                          boolean jvmGcPressure, CollectorTunables collector, Duration stallGap, RatioBasis basis,
                          Duration probeInterval) {
    /** What the headline MOVE/COPY ratio compares. */
    public enum RatioBasis { WALL, CPU }

    /**
     * @param compactorThreads compactor threads per window
     * @param faultThreads     native fault-service threads
     * @param runPages         longest run of pages one ioctl installs
     * @param densePercent     live percentage from which a page of the heap's bottom stays in place (0 = off)
     * @param hugePages        madvise(MADV_HUGEPAGE) heap and from-space
     * @param faultHandling    who resolves a mutator's fault: service threads, or the mutator itself (SIGBUS);
     *                         in SIGBUS mode that work runs on the mutators' threads, outside the compaction's CPU time
     * @param marking          how the cycles mark (concurrently, or inside the flip pause)
     * @param markThreads      threads one marking trace uses
     * @param copySinglePages  MOVE mode: lone pages by COPY (the default) or by MOVE (pure MOVE)
     */
    public record CollectorTunables(int compactorThreads, int faultThreads, int runPages, int densePercent,
                                    boolean hugePages, FaultHandling faultHandling, Marking marking, int markThreads,
                                    boolean copySinglePages) {}
    public BenchConfig {
        if (fill <= 0 || fill > 0.95) throw new IllegalArgumentException("fill must be in (0, 0.95]: " + fill);
        if (live <= 0 || live > 1) throw new IllegalArgumentException("--live must be in (0, 1]: " + live);
        if (mutators < 0) throw new IllegalArgumentException("--mutators must be >= 0: " + mutators);
        if (repeat < 1) throw new IllegalArgumentException("--repeat must be >= 1: " + repeat);
        if (modes.isEmpty()) throw new IllegalArgumentException("--modes names no mode");
        if (modes.contains(Mode.AUTO)) throw new IllegalArgumentException("--modes takes move, copy, stw (not auto)");
        if (warmup.isNegative()) throw new IllegalArgumentException("--warmup must not be negative: " + warmup);
        if (stallGap.isNegative() || stallGap.isZero())
            throw new IllegalArgumentException("--stall-gap must be positive: " + stallGap);
        if (probeInterval.isNegative())
            throw new IllegalArgumentException("--probe-interval-us must not be negative: " + probeInterval);
        modes = List.copyOf(modes);
    }

    public int compactorThreads() { return collector.compactorThreads(); }

    public int faultThreads() { return collector.faultThreads(); }

    public BenchConfig withHeapAndLive(long heap, double l) {
        return new BenchConfig(heap, fill, l, pattern, mix, mutators, modes, repeat, seed, warmup, jvmGcPressure,
                collector, stallGap, basis, probeInterval);
    }

    /** What the result file says about the run's configuration: every field, by a stable name. */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("heap_bytes", heapBytes);
        m.put("fill", fill);
        m.put("live_fraction", live);
        m.put("pattern", pattern.name().toLowerCase());
        m.put("object_mix", mix.describe());
        m.put("mutators", mutators);
        m.put("modes", modes.stream().map(x -> x.name().toLowerCase()).toList());
        m.put("repeat", repeat);
        m.put("seed", seed);
        m.put("compactor_threads", collector.compactorThreads());
        m.put("fault_threads", collector.faultThreads());
        m.put("run_pages", collector.runPages());
        m.put("dense_percent", collector.densePercent());
        m.put("huge_pages", collector.hugePages());
        m.put("fault_handling", collector.faultHandling().name().toLowerCase());
        m.put("marking", collector.marking() == Marking.CONCURRENT ? "concurrent" : "stw");
        m.put("mark_threads", collector.markThreads());
        m.put("single_pages", collector.copySinglePages() ? "copy" : "move");
        m.put("policy", "manual: one explicit collect() per repetition and mode");
        m.put("warmup_ms", warmup.toMillis());
        m.put("jvm_gc_pressure", jvmGcPressure);
        m.put("stall_gap_us", stallGap.toNanos() / 1e3);
        m.put("ratio_basis", basis.name().toLowerCase());
        m.put("probe_interval_us", probeInterval.toNanos() / 1e3);
        m.put("ratio_method", RatioInterval.METHOD);
        m.put("latency_correction", "coordinated omission: HdrHistogram copyCorrectedForCoordinatedOmission, expected"
                + " interval = the median step between two operations of a thread outside the cycle");
        return m;
    }
}
