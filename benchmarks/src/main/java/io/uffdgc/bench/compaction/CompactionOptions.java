package io.uffdgc.bench.compaction;

import io.uffdgc.bench.OptionTypes;
import io.uffdgc.bench.WorkloadOptions;
import io.uffdgc.bench.compaction.BenchConfig.CollectorTunables;
import io.uffdgc.bench.compaction.BenchConfig.RatioBasis;
import io.uffdgc.gc.CollectorConfig;
import io.uffdgc.gc.FaultHandling;
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
    @Option(names = "--repeat", description = "repetitions per mode (default: " + CompactionCommand.DEFAULT_REPEAT
            + ", enough for a 95%% interval of the ratio; sweep: 1 per point)")
    Integer repeat;
    @Option(names = "--warmup-ms", description = "how long the mutators run before each cycle, ms (default: 300; --quick 100)")
    Long warmupMillis;
    @Option(names = "--compactors", description = "compactor threads (default ${DEFAULT-VALUE})", defaultValue = "1")
    int compactors;
    @Option(names = "--fault-threads", description = "native fault-service threads (default ${DEFAULT-VALUE})", defaultValue = "1")
    int faultThreads;
    @Option(names = "--run-pages", description = "longest run of pages one ioctl installs, 1..64 (default ${DEFAULT-VALUE})", defaultValue = "64")
    int runPages;
    @Option(names = "--dense-percent", description = "live percentage from which a page of the heap's bottom stays in place, 0 = off (default: the engine's, "
            + "90)")
    Integer densePercent;
    @Option(names = "--huge-pages", description = "madvise(MADV_HUGEPAGE) heap and from-space")
    boolean hugePages;
    @Option(names = "--fault-handling", converter = OptionTypes.FaultHandlings.class, completionCandidates = OptionTypes.FaultHandlings.class,
            defaultValue = "threads", description = "who resolves a mutator's fault: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}; "
            + "sigbus: the mutator itself, whose CPU time is then not in the compaction's)")
    FaultHandling faultHandling;
    @Option(names = "--marking", paramLabel = "<marking>", converter = OptionTypes.Markings.class,
            completionCandidates = OptionTypes.Markings.class, defaultValue = "concurrent",
            description = "how cycles mark: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE})")
    Marking marking;
    @Option(names = "--mark-threads", description = "threads one marking trace uses, 1..64 (default ${DEFAULT-VALUE})",
            defaultValue = "1")
    int markThreads;
    @Option(names = "--single-pages", paramLabel = "copy|move", defaultValue = "copy",
            description = "MOVE mode: install a lone page (a fault's) by copy (no TLB-shootdown IPI) or by move (pure MOVE) (default ${DEFAULT-VALUE})")
    String singlePages;
    @Option(names = "--jvm-gc-pressure", description = "a side thread allocates Java garbage and calls System.gc() throughout")
    boolean jvmGcPressure;
    @Option(names = "--stall-gap-us", description = "a mutator step longer than this counts as a stall for the MMU, us (default ${DEFAULT-VALUE})", defaultValue = "10")
    double stallGapMicros;
    @Option(names = "--ratio-basis", converter = OptionTypes.Bases.class, completionCandidates = OptionTypes.Bases.class, defaultValue = "wall",
            description = "what the headline MOVE/COPY ratio compares: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}: the compacting threads' completion time, the commit's figure)")
    RatioBasis basis;
    @Option(names = "--probe-interval-us", description = "while the window is open, a probe thread times one read of a page not"
            + " installed yet every so often: the fault's stall as the faulting thread sees it; us, 0 = off (default ${DEFAULT-VALUE})",
            defaultValue = "500")
    long probeIntervalMicros;

    private boolean copySinglePages() {
        return switch (singlePages) {
            case "copy" -> true;
            case "move" -> false;
            default -> throw new IllegalArgumentException("--single-pages takes copy or move, not " + singlePages);
        };
    }

    /** The configuration these options describe; defaults for modes, repetitions and warm-up come from the command. */
    BenchConfig config(List<Mode> defaultModes, int defaultRepeat, Long heapOverride, Duration defaultWarmup) {
        CollectorTunables tunables = new CollectorTunables(compactors, faultThreads, runPages,
                densePercent != null ? densePercent : CollectorConfig.DEFAULT_DENSE_PERCENT, hugePages, faultHandling, marking,
                markThreads, copySinglePages());
        // The collector's own checks (CollectorConfig) run once per cycle; fail before building any heap.
        CollectorConfig.defaults().withCompactorThreads(compactors).withFaultThreads(faultThreads).withRunPages(runPages)
                .withDensePercent(tunables.densePercent()).withMarkThreads(markThreads);
        return new BenchConfig(heapOverride != null ? heapOverride : workload.heapBytes(), fill, workload.live(),
                workload.pattern(), workload.mix(), workload.mutators(), modes != null ? modes : defaultModes,
                repeat != null ? repeat : defaultRepeat, workload.seed(),
                warmupMillis != null ? Duration.ofMillis(warmupMillis) : defaultWarmup, jvmGcPressure, tunables,
                Duration.ofNanos(Math.round(stallGapMicros * 1e3)), basis, Duration.ofNanos(probeIntervalMicros * 1000));
    }
}
