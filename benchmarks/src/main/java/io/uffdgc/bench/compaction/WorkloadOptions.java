package io.uffdgc.bench.compaction;

import io.uffdgc.bench.workload.ObjectMix;
import io.uffdgc.bench.workload.SurvivalPattern;
import io.uffdgc.gc.Mode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The workload and collector options that the compaction run and the sweep share (a picocli mixin). */
public final class WorkloadOptions {
    @Option(names = "--heap", description = "heap capacity, e.g. 512m, 1g (default ${DEFAULT-VALUE})", defaultValue = "1g")
    String heap;
    @Option(names = "--live", description = "live fraction of allocated objects (default ${DEFAULT-VALUE})", defaultValue = "0.5")
    double live;
    @Option(names = "--fill", description = "share of the heap allocated before each cycle (default ${DEFAULT-VALUE})", defaultValue = "0.85")
    double fill;
    @Option(names = "--pattern", description = "uniform|clustered (default ${DEFAULT-VALUE})", defaultValue = "uniform")
    String pattern;
    @Option(names = "--mix", description = "object mix by count (default ${DEFAULT-VALUE})",
            defaultValue = "records=0.85,refarrays=0.10,bytearrays=0.05")
    String mix;
    @Option(names = "--mutators", description = "mutator threads during the window (default ${DEFAULT-VALUE})", defaultValue = "2")
    int mutators;
    @Option(names = "--modes", description = "modes, comma separated (default: move,copy,stw; sweep: move,copy)")
    String modes;
    @Option(names = "--repeat", description = "repetitions per mode (default: 3; sweep: 1 per point)")
    Integer repeat;
    @Option(names = "--compactors", description = "compactor threads (default ${DEFAULT-VALUE})", defaultValue = "1")
    int compactors;
    @Option(names = "--fault-threads", description = "native fault-service threads (default ${DEFAULT-VALUE})", defaultValue = "1")
    int faultThreads;
    @Option(names = "--seed", defaultValue = "20261122")
    long seed;
    @Option(names = "--jvm-gc-pressure", description = "a side thread allocates Java garbage and calls System.gc() throughout")
    boolean jvmGcPressure;

    /** The configuration these options describe; defaults for modes and repetitions come from the command. */
    BenchConfig config(String defaultModes, int defaultRepeat, Long heapOverride, Duration warmup) {
        long bytes = heapOverride != null ? heapOverride : Sizes.parse(heap);
        List<Mode> ms = new ArrayList<>();
        for (String m : (modes != null ? modes : defaultModes).split(",")) {
            try {
                ms.add(Mode.valueOf(m.trim().toUpperCase()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown mode '" + m.trim() + "' in --modes (use move, copy, stw)");
            }
        }
        SurvivalPattern p;
        try {
            p = SurvivalPattern.valueOf(pattern.toUpperCase());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown --pattern '" + pattern + "' (use uniform or clustered)");
        }
        return new BenchConfig(bytes, fill, live, p, ObjectMix.parse(mix), mutators, ms,
                repeat != null ? repeat : defaultRepeat, seed, compactors, faultThreads, warmup, jvmGcPressure);
    }
}
