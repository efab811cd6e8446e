package io.uffdgc.bench.pause;

import io.uffdgc.bench.workload.HeapGraph;
import io.uffdgc.bench.workload.ObjectMix;
import io.uffdgc.bench.workload.SurvivalPattern;
import io.uffdgc.gc.Collector;
import io.uffdgc.gc.CollectorConfig;
import io.uffdgc.gc.CycleStats;
import io.uffdgc.gc.Mode;
import io.uffdgc.gc.policy.CollectionPolicy;
import io.uffdgc.heap.Heap;
import io.uffdgc.heap.HeapConfig;
import io.uffdgc.heap.Mutator;
import io.uffdgc.heap.layout.RecordLayout;
import java.util.Arrays;

/**
 * How long marking takes, the largest part of the collector's pause: builds the
 * benchmark's fragmented graph (default object mix, uniform survival) in a heap of
 * each size, then runs stop-the-world cycles back to back and reports the marking
 * time of each ({@link CycleStats#markNanos()}), its median and the cost per live
 * object. The first cycles are discarded: they warm up the JIT and the first one
 * marks the fragmented heap, later ones the compacted one (the same graph, slid
 * together in address order).
 *
 * <pre>
 *   java -cp ... io.uffdgc.bench.pause.MarkBench [heapMiB,...] [live] [cycles]
 *   defaults: 256,1024 0.5 7
 * </pre>
 */
public final class MarkBench {
    private static final int DISCARDED = 2;
    private static final double FILL = 0.85;
    private static final long SEED = 42;

    private MarkBench() {}

    public static void main(String[] args) {
        long[] heapsMiB = Arrays.stream((args.length > 0 ? args[0] : "256,1024").split(","))
                .mapToLong(Long::parseLong).toArray();
        double live = args.length > 1 ? Double.parseDouble(args[1]) : 0.5;
        int cycles = args.length > 2 ? Integer.parseInt(args[2]) : 7;
        if (!(live > 0 && live <= 1) || cycles < 1)
            throw new IllegalArgumentException("live must be in (0, 1] and cycles >= 1: " + live + ", " + cycles);
        System.out.printf("%-8s %6s %12s %10s %10s %10s %10s%n",
                "heap", "live", "objects", "min ms", "median ms", "max ms", "ns/object");
        for (long mib : heapsMiB) measure(mib << 20, live, cycles);
    }

    private static void measure(long heapBytes, double live, int cycles) {
        HeapConfig hc = HeapConfig.defaults().withName("mark-bench").withCapacity(heapBytes)
                .withMaxHandles(HeapConfig.DEFAULT_MAX_HANDLES * 4);
        CollectorConfig cc = CollectorConfig.defaults().withPolicy(CollectionPolicy.manual());
        try (Heap heap = Heap.create(hc); Collector collector = Collector.attach(heap, cc)) {
            RecordLayout[][] layouts = HeapGraph.defineLayouts(heap);
            try (Mutator builder = heap.attach()) {
                HeapGraph.build(builder, layouts, ObjectMix.DEFAULT, SurvivalPattern.UNIFORM, live,
                        (long) (FILL * heapBytes), SEED);
            }
            for (int i = 0; i < DISCARDED; i++) collector.collect(Mode.STW);
            long[] nanos = new long[cycles];
            long objects = 0;
            for (int i = 0; i < cycles; i++) {
                CycleStats s = collector.collect(Mode.STW);
                nanos[i] = s.timings().markNanos();
                objects = s.memory().liveObjects();
            }
            Arrays.sort(nanos);
            long median = nanos[cycles / 2];
            System.out.printf("%-8s %6.2f %12d %10.1f %10.1f %10.1f %10.1f%n", (heapBytes >> 20) + " MiB", live,
                    objects, nanos[0] / 1e6, median / 1e6, nanos[cycles - 1] / 1e6, (double) median / objects);
        }
    }
}
