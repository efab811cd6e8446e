package io.uffdgc.bench.compaction;

import io.uffdgc.bench.workload.ObjectMix;
import io.uffdgc.bench.workload.SurvivalPattern;
import io.uffdgc.gc.Marking;
import io.uffdgc.gc.Mode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One configuration of the compaction benchmark.
 *
 * @param heapBytes        heap capacity
 * @param fill             share of the capacity allocated before the cycle (live and dead)
 * @param live             share of the allocated objects that stay reachable
 * @param warmup           how long the mutators run before the cycle starts
 * @param jvmGcPressure    a side thread allocates Java garbage and calls System.gc() throughout
 * @param marking          how the cycles mark (concurrently, or inside the flip pause)
 */
public record BenchConfig(long heapBytes, double fill, double live, SurvivalPattern pattern, ObjectMix mix,
                          int mutators, List<Mode> modes, int repeat, long seed, int compactorThreads,
                          int faultThreads, Duration warmup, boolean jvmGcPressure, Marking marking) {
    public BenchConfig {
        if (fill <= 0 || fill > 0.95) throw new IllegalArgumentException("fill must be in (0, 0.95]: " + fill);
        if (live <= 0 || live > 1) throw new IllegalArgumentException("--live must be in (0, 1]: " + live);
        if (mutators < 0) throw new IllegalArgumentException("--mutators must be >= 0: " + mutators);
        if (repeat < 1) throw new IllegalArgumentException("--repeat must be >= 1: " + repeat);
        if (modes.isEmpty()) throw new IllegalArgumentException("--modes names no mode");
        if (modes.contains(Mode.AUTO)) throw new IllegalArgumentException("--modes takes move, copy, stw (not auto)");
        modes = List.copyOf(modes);
    }

    public BenchConfig withHeapAndLive(long heap, double l) {
        return new BenchConfig(heap, fill, l, pattern, mix, mutators, modes, repeat, seed, compactorThreads,
                faultThreads, warmup, jvmGcPressure, marking);
    }

    /** What the result file says about the run's configuration. */
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
        m.put("compactor_threads", compactorThreads);
        m.put("fault_threads", faultThreads);
        m.put("warmup_ms", warmup.toMillis());
        m.put("jvm_gc_pressure", jvmGcPressure);
        m.put("marking", marking == Marking.CONCURRENT ? "concurrent" : "stw");
        return m;
    }
}
