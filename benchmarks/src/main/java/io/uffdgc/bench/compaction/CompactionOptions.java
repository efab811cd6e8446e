package io.uffdgc.bench.compaction;

import io.uffdgc.bench.OptionTypes;
import io.uffdgc.bench.WorkloadOptions;
import io.uffdgc.gc.Marking;
import io.uffdgc.gc.Mode;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options that the compaction run and the sweep share (a picocli mixin): the workload, and the cycles run on it. */
public final class CompactionOptions {
    @Mixin
    WorkloadOptions workload = new WorkloadOptions();
    @Option(names = "--fill", description = "share of the heap allocated before each cycle (default ${DEFAULT-VALUE})", defaultValue = "0.85")
    double fill;
    @Option(names = "--modes", paramLabel = "<mode>", split = ",", converter = OptionTypes.Modes.class, completionCandidates = OptionTypes.Modes.class,
            description = "modes, comma separated: ${COMPLETION-CANDIDATES} (default: move,copy,stw; sweep: move,copy)")
    List<Mode> modes;
    @Option(names = "--repeat", description = "repetitions per mode (default: 3; sweep: 1 per point)")
    Integer repeat;
    @Option(names = "--compactors", description = "compactor threads (default ${DEFAULT-VALUE})", defaultValue = "1")
    int compactors;
    @Option(names = "--fault-threads", description = "native fault-service threads (default ${DEFAULT-VALUE})", defaultValue = "1")
    int faultThreads;
    @Option(names = "--marking", paramLabel = "<marking>", converter = OptionTypes.Markings.class,
            completionCandidates = OptionTypes.Markings.class, defaultValue = "concurrent",
            description = "how cycles mark: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE})")
    Marking marking;
    @Option(names = "--jvm-gc-pressure", description = "a side thread allocates Java garbage and calls System.gc() throughout")
    boolean jvmGcPressure;

    /** The configuration these options describe; defaults for modes and repetitions come from the command. */
    BenchConfig config(List<Mode> defaultModes, int defaultRepeat, Long heapOverride, Duration warmup) {
        return new BenchConfig(heapOverride != null ? heapOverride : workload.heapBytes(), fill, workload.live(),
                workload.pattern(), workload.mix(), workload.mutators(), modes != null ? modes : defaultModes,
                repeat != null ? repeat : defaultRepeat, workload.seed(), compactors, faultThreads, warmup, jvmGcPressure,
                marking);
    }
}
