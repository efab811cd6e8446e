package io.uffdgc.bench.dense;

import io.uffdgc.gc.Collector;
import io.uffdgc.gc.CollectorConfig;
import io.uffdgc.gc.CycleStats;
import io.uffdgc.gc.Mode;
import io.uffdgc.gc.policy.CollectionPolicy;
import io.uffdgc.heap.Heap;
import io.uffdgc.heap.HeapConfig;
import io.uffdgc.heap.Mutator;
import io.uffdgc.heap.verify.HeapVerifier;
import io.uffdgc.uffd.gen.ugc_gc_stats;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Picks the dense-prefix threshold: a heap whose bottom (OLD bytes, packed by an
 * earlier cycle) lost a share of its objects since, then a young region 20% live
 * ({@link DenseFirstHeap}); one MOVE cycle per threshold (0 = off) on identically built
 * heaps, side by side, medians over reps. Prints window, pages kept in place, 2 MiB
 * moves and the bytes the prefix leaves as fillers (new top - live: the price of not
 * compacting) and the pages MOVE had to build in fresh memory (no consumed from-space
 * page was free). The table behind UGC_GC_DEFAULT_DENSE_PERCENT (docs/engine.md, "Dense
 * prefix threshold") is its output.
 */
@Command(name = "dense", mixinStandardHelpOptions = true,
        description = "Dense-prefix threshold: MOVE window, pages kept in place and fillers left, per threshold and "
                + "death rate of a packed old region.")
public final class DenseCommand implements Callable<Integer> {
    static final long CAPACITY = 1L << 30, OLD = 128L << 20, YOUNG = 32L << 20;

    @Option(names = "--reps", defaultValue = "3", description = "cycles per point, the median printed (default ${DEFAULT-VALUE})")
    int reps;
    @Option(names = "--huge-pages", description = "transparent huge pages for the heap and from-space (CollectorConfig.hugePages)")
    boolean huge;

    @Override
    public Integer call() {
        if (reps < 1) throw new IllegalArgumentException("--reps must be >= 1: " + reps);
        System.out.printf("old region %d MiB packed, young %d MiB 20%% live, MOVE, hugePages %b, median of %d%n",
                OLD >> 20, YOUNG >> 20, huge, reps);
        System.out.printf("%-7s %-6s %10s %10s %10s %9s %12s %10s%n", "deaths", "thresh", "window ms", "pause ms",
                "in place", "2M moves", "waste KiB", "fresh");
        for (double deaths : new double[] {0.005, 0.02, 0.05}) {
            for (int percent : new int[] {0, 80, 90, 95, 98}) {
                List<CycleStats> runs = new ArrayList<>();
                for (int r = 0; r < reps; r++) runs.add(oneCycle(deaths, percent, huge, 21 + r));
                runs.sort(Comparator.comparingLong(s -> s.timings().windowNanos()));
                CycleStats s = runs.get(runs.size() / 2);
                System.out.printf("%-7s %-6s %10.2f %10.2f %10d %9d %12d %10d%n", (deaths * 100) + "%", percent + "%",
                        s.timings().windowNanos() / 1e6, s.timings().pauseNanos() / 1e6, s.pages().inPlace(), s.engine().get(ugc_gc_stats::huge_moves),
                        (s.memory().usedAfter() - s.memory().liveBytes()) >> 10, s.pages().fresh());
            }
        }
        return 0;
    }

    static CycleStats oneCycle(double deaths, int percent, boolean huge, long seed) {
        CollectorConfig config = CollectorConfig.defaults().withPolicy(CollectionPolicy.manual())
                .withDensePercent(percent).withHugePages(huge);
        try (Heap heap = Heap.create(HeapConfig.defaults().withName("dense").withCapacity(CAPACITY).withMaxHandles(1 << 16));
             Collector collector = Collector.attach(heap, config)) {
            try (Mutator m = heap.attach()) {
                DenseFirstHeap.build(heap, m, OLD, deaths, YOUNG, 0.2, seed, () -> collector.collect(Mode.MOVE));
            }
            CycleStats s = collector.collect(Mode.MOVE);
            HeapVerifier.verify(heap);
            return s;
        }
    }
}
