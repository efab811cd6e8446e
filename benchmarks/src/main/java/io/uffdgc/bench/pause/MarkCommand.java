package io.uffdgc.bench.pause;

import io.uffdgc.bench.OptionTypes;
import io.uffdgc.bench.workload.HeapGraph;
import io.uffdgc.bench.workload.ObjectMix;
import io.uffdgc.bench.workload.SurvivalPattern;
import io.uffdgc.gc.Collector;
import io.uffdgc.gc.CollectorConfig;
import io.uffdgc.gc.CyclePause;
import io.uffdgc.gc.CycleStats;
import io.uffdgc.gc.Marking;
import io.uffdgc.gc.Mode;
import io.uffdgc.gc.policy.CollectionPolicy;
import io.uffdgc.heap.Heap;
import io.uffdgc.heap.HeapConfig;
import io.uffdgc.heap.Mutator;
import io.uffdgc.heap.layout.RecordLayout;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * How long marking takes, and what of it the application waits for: builds the
 * benchmark's fragmented graph (default object mix, uniform survival) in a heap of
 * each size, then runs cycles back to back (STW compaction, no mutators) with each
 * marking (stop-the-world: marking is inside the pause; concurrent: beside the
 * mutators, only the three short pauses remain) and reports the marking time of each
 * ({@link CycleStats.Timings#markNanos()}), its median, the cost per live object, the CPU
 * time of every marking thread ({@code --mark-threads} compares thread counts), and
 * the cycle's longest pause apart from the flip, which holds the STW compaction here. The first cycles are discarded: they warm up the JIT and the first one
 * marks the fragmented heap, later ones the compacted one (the same graph, slid
 * together in address order).
 */
@Command(name = "mark", mixinStandardHelpOptions = true,
        description = "Marking time, stop-the-world against concurrent, on the benchmark's fragmented graph, per heap size.")
public final class MarkCommand implements Callable<Integer> {
    private static final int DISCARDED = 2;
    private static final double FILL = 0.85;
    private static final long SEED = 42;

    @Option(names = "--heaps", split = ",", converter = OptionTypes.Size.class, defaultValue = "256m,1g",
            description = "heap sizes (default ${DEFAULT-VALUE})")
    List<Long> heaps;
    @Option(names = "--live", defaultValue = "0.5", description = "live fraction of allocated objects (default ${DEFAULT-VALUE})")
    double live;
    @Option(names = "--marking", split = ",", converter = OptionTypes.Markings.class, defaultValue = "stw,concurrent",
            description = "markings to compare (default ${DEFAULT-VALUE})")
    List<Marking> markings;
    @Option(names = "--mark-threads", split = ",", defaultValue = "1",
            description = "marking threads to compare, e.g. 1,2 (default ${DEFAULT-VALUE})")
    List<Integer> markThreads;
    @Option(names = "--cycles", defaultValue = "7", description = "measured cycles per heap, after "
            + DISCARDED + " discarded (default ${DEFAULT-VALUE})")
    int cycles;

    @Override
    public Integer call() {
        if (!(live > 0 && live <= 1) || cycles < 1)
            throw new IllegalArgumentException("--live must be in (0, 1] and --cycles >= 1: " + live + ", " + cycles);
        for (int t : markThreads)
            if (t < 1 || t > 64) throw new IllegalArgumentException("--mark-threads must be in 1..64: " + t);
        System.out.printf("%-8s %-10s %7s %6s %12s %10s %10s %10s %10s %14s %22s%n", "heap", "marking", "threads", "live",
                "objects", "min ms", "median ms", "max ms", "ns/object", "CPU ms med", "marking pause med/max");
        for (long bytes : heaps) for (Marking m : markings) for (int t : markThreads) measure(bytes, m, t, live, cycles);
        return 0;
    }

    private static void measure(long heapBytes, Marking marking, int threads, double live, int cycles) {
        HeapConfig hc = HeapConfig.defaults().withName("mark-bench").withCapacity(heapBytes)
                .withMaxHandles(HeapConfig.DEFAULT_MAX_HANDLES * 4);
        CollectorConfig cc = CollectorConfig.defaults().withPolicy(CollectionPolicy.manual()).withMarking(marking)
                .withMarkThreads(threads);
        try (Heap heap = Heap.create(hc); Collector collector = Collector.attach(heap, cc)) {
            RecordLayout[][] layouts = HeapGraph.defineLayouts(heap);
            try (Mutator builder = heap.attach()) {
                HeapGraph.build(builder, layouts, ObjectMix.DEFAULT, SurvivalPattern.UNIFORM, live,
                        (long) (FILL * heapBytes), SEED);
            }
            for (int i = 0; i < DISCARDED; i++) collector.collect(Mode.STW);
            long[] nanos = new long[cycles], pauses = new long[cycles], cpu = new long[cycles];
            long objects = 0;
            for (int i = 0; i < cycles; i++) {
                CycleStats s = collector.collect(Mode.STW);
                nanos[i] = s.timings().markNanos();
                cpu[i] = s.cpu().mark().totalNanos(); // every marking thread's, the caller's and the engine's
                // Stop-the-world marking has the flip pause only, which is where it marks.
                pauses[i] = marking == Marking.STOP_THE_WORLD ? s.timings().markNanos() + s.timings().planNanos()
                        : s.pauses().stream().filter(p -> p.kind() == CyclePause.Kind.MARK_BEGIN || p.kind() == CyclePause.Kind.REMARK)
                                .mapToLong(CyclePause::nanos).max()
                                .orElse(0);
                objects = s.memory().liveObjects();
            }
            Arrays.sort(nanos);
            Arrays.sort(pauses);
            Arrays.sort(cpu);
            long median = nanos[cycles / 2];
            System.out.printf("%-8s %-10s %7d %6.2f %12d %10.1f %10.1f %10.1f %10.1f %14.1f %22s%n", (heapBytes >> 20) + " MiB",
                    marking == Marking.CONCURRENT ? "concurrent" : "stw", threads, live, objects, nanos[0] / 1e6,
                    median / 1e6, nanos[cycles - 1] / 1e6, (double) median / objects, cpu[cycles / 2] / 1e6,
                    String.format("%.2f/%.2f", pauses[cycles / 2] / 1e6, pauses[cycles - 1] / 1e6));
        }
    }
}
