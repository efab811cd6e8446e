package io.uffdgc.bench;

import io.uffdgc.bench.workload.ObjectMix;
import io.uffdgc.bench.workload.SurvivalPattern;
import picocli.CommandLine.Option;

/**
 * The workload options every benchmark command shares (a picocli mixin): the heap, the
 * fragmented object graph built in it, the mutator threads that work on it, the seed.
 */
public final class WorkloadOptions {
    @Option(names = "--heap", paramLabel = "<heap>", converter = OptionTypes.Size.class, defaultValue = "1g",
            description = "heap capacity, e.g. 512m, 1g (default ${DEFAULT-VALUE})")
    private long heapBytes;
    @Option(names = "--live", defaultValue = "0.5", description = "live fraction of allocated objects (default ${DEFAULT-VALUE})")
    private double live;
    @Option(names = "--pattern", converter = OptionTypes.Patterns.class, completionCandidates = OptionTypes.Patterns.class,
            defaultValue = "uniform", description = "${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE})")
    private SurvivalPattern pattern;
    @Option(names = "--mix", converter = OptionTypes.Mix.class, defaultValue = "records=0.85,refarrays=0.10,bytearrays=0.05",
            description = "object mix by count (default ${DEFAULT-VALUE})")
    private ObjectMix mix;
    @Option(names = "--mutators", defaultValue = "2", description = "mutator threads (default ${DEFAULT-VALUE})")
    private int mutators;
    @Option(names = "--seed", defaultValue = "20261122")
    private long seed;

    public long heapBytes() { return heapBytes; }

    public double live() { return live; }

    public SurvivalPattern pattern() { return pattern; }

    public ObjectMix mix() { return mix; }

    public int mutators() { return mutators; }

    public long seed() { return seed; }
}
