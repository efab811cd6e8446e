package io.uffdgc.bench.replay;

import io.uffdgc.bench.OptionTypes;
import io.uffdgc.bench.compaction.BenchConfig.RatioBasis;
import io.uffdgc.bench.compaction.ModeSummary;
import io.uffdgc.bench.compaction.Ratios;
import io.uffdgc.bench.compaction.ResultTable;
import io.uffdgc.bench.compaction.Sample;
import io.uffdgc.bench.report.ResultFiles;
import io.uffdgc.gc.Collector;
import io.uffdgc.gc.CollectorConfig;
import io.uffdgc.gc.CycleStats;
import io.uffdgc.gc.Mode;
import io.uffdgc.gc.policy.CollectionPolicy;
import io.uffdgc.heap.Heap;
import io.uffdgc.heap.HeapConfig;
import io.uffdgc.heap.Mutator;
import io.uffdgc.heap.verify.HeapChecksum;
import io.uffdgc.heap.verify.HeapVerifier;
import io.uffdgc.heap.verify.VerificationResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * scripts/bench replay FILE.hprof: a JVM's heap dump rebuilt in a managed heap
 * ({@link ReplayHeap}) and collected in each mode, side by side, as the compaction
 * benchmark does with its synthetic heaps; every cycle verified against the parsed
 * graph (reachable objects and bytes) and by checksum. No mutator threads run: the
 * dump has the program's objects, not its behaviour.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Rebuilds an HPROF heap dump (jmap -dump, jcmd PID GC.heap_dump) in a managed heap and collects it "
                + "in each mode, verified against the parsed graph. Prints a table, writes JSON.")
public final class ReplayCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE.hprof", description = "the heap dump")
    Path file;
    @Option(names = "--modes", paramLabel = "<mode>", split = ",", converter = OptionTypes.Modes.class,
            defaultValue = "move,copy,stw", description = "modes, comma separated (default ${DEFAULT-VALUE})")
    List<Mode> modes;
    @Option(names = "--repeat", defaultValue = "3", description = "repetitions per mode (default ${DEFAULT-VALUE}; 6 or more"
            + " for a 95%% interval of the ratio)")
    int repeat;
    @Option(names = "--compactors", defaultValue = "1", description = "compactor threads (default ${DEFAULT-VALUE})")
    int compactors;
    @Option(names = "--fault-threads", defaultValue = "1", description = "fault-service threads (default ${DEFAULT-VALUE})")
    int faultThreads;
    @Option(names = "--dense-percent", description = "dense-prefix threshold, 0 = off (default: the engine's, 90)")
    Integer densePercent;
    @Option(names = "--ratio-basis", converter = OptionTypes.Bases.class, defaultValue = "wall",
            description = "what the headline MOVE/COPY ratio compares: wall or cpu (default ${DEFAULT-VALUE})")
    RatioBasis basis;
    @Option(names = "--out", defaultValue = "results/replay.json", description = "result JSON (default ${DEFAULT-VALUE})")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (repeat < 1) throw new IllegalArgumentException("--repeat must be >= 1: " + repeat);
        if (modes.contains(Mode.AUTO)) throw new IllegalArgumentException("--modes takes move, copy, stw (not auto)");
        long t0 = System.nanoTime();
        HprofDump dump = HprofReader.read(file);
        boolean[] reachable = dump.reachable();
        long live = 0;
        for (boolean r : reachable) if (r) live++;
        System.out.printf("replay %s: %d objects (%d reachable from %d roots), %d classes, read in %.1f s%n", file,
                dump.objects().size(), live, dump.roots().length, dump.classes().size(), (System.nanoTime() - t0) / 1e9);
        Map<Mode, List<Sample>> byMode = new LinkedHashMap<>();
        for (Mode m : modes) byMode.put(m, new ArrayList<>());
        ReplayHeap shape = null;
        for (int rep = 0; rep < repeat; rep++)
            for (int k = 0; k < modes.size(); k++) {
                Mode mode = modes.get((k + rep) % modes.size());
                Measured s = measure(dump, mode, rep);
                shape = s.shape;
                byMode.get(mode).add(s.sample);
                System.out.printf("  %-4s rep %d: %s%n", mode, rep + 1, s.sample.verified()
                        ? String.format("compaction %.1f ms (%s), pause %.2f ms", s.sample.compactionMillis(),
                                s.sample.compactionCpu(), s.sample.stats().timings().pauseNanos() / 1e6)
                        : "FAILED: " + s.sample.failure());
            }
        List<ModeSummary> summaries = new ArrayList<>();
        byMode.forEach((m, s) -> summaries.add(new ModeSummary(m, s)));
        System.out.println();
        ResultTable.print(System.out, summaries, basis);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("file", file.toString());
        config.put("modes", modes.stream().map(m -> m.name().toLowerCase()).toList());
        config.put("repeat", repeat);
        config.put("compactor_threads", compactors);
        config.put("fault_threads", faultThreads);
        config.put("dense_percent", densePercent());
        config.put("ratio_basis", basis.name().toLowerCase());
        config.put("mutators", 0);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("objects", dump.objects().size());
        d.put("classes", dump.classes().size());
        d.put("roots", dump.roots().length);
        d.put("reachable_objects", live);
        if (shape != null) {
            d.put("reachable_bytes_in_heap", shape.expectedBytes());
            d.put("references", shape.references());
            d.put("dangling_references", shape.dangling());
        }
        ResultFiles.write(out, config, summaries.stream().map(ModeSummary::toJson).toList(),
                Map.<String, Object>of("dump", d, "ratios", Ratios.toJson(summaries, basis)));
        System.out.println("results: " + out);
        return summaries.stream().allMatch(ModeSummary::verified) ? 0 : 1;
    }

    private int densePercent() { return densePercent != null ? densePercent : CollectorConfig.DEFAULT_DENSE_PERCENT; }

    record Measured(Sample sample, ReplayHeap shape) {}

    /** One cycle on the dump rebuilt afresh. */
    Measured measure(HprofDump dump, Mode mode, int rep) {
        int handles = ReplayHeap.handlesFor(dump);
        HeapConfig hc = HeapConfig.defaults().withName("replay-" + mode.name().toLowerCase())
                .withCapacity(ReplayHeap.capacityFor(dump)).withMaxHandles(handles);
        CollectorConfig cc = CollectorConfig.defaults().withPolicy(CollectionPolicy.manual())
                .withCompactorThreads(compactors).withFaultThreads(faultThreads).withDensePercent(densePercent());
        try (Heap heap = Heap.create(hc); Collector collector = Collector.attach(heap, cc)) {
            ReplayHeap shape;
            try (Mutator m = heap.attach()) {
                shape = ReplayHeap.build(heap, m, dump);
            }
            HeapChecksum before = HeapChecksum.of(heap);
            CycleStats stats;
            try {
                stats = collector.collect(mode);
            } catch (RuntimeException e) {
                return new Measured(Sample.withoutMutators(mode, rep, false, "the cycle failed: " + e, null), shape);
            }
            String failure = check(heap, shape, before);
            return new Measured(Sample.withoutMutators(mode, rep, failure == null, failure == null ? "" : failure, stats),
                    shape);
        }
    }

    /** Null when the collected heap holds exactly the parsed graph's reachable objects, unchanged. */
    static String check(Heap heap, ReplayHeap shape, HeapChecksum before) {
        try {
            VerificationResult v = HeapVerifier.verify(heap);
            if (v.reachableObjects() != shape.expectedReachable() || v.reachableBytes() != shape.expectedBytes())
                return "the heap holds " + v.reachableObjects() + " reachable objects of " + v.reachableBytes()
                        + " bytes; the dump's graph has " + shape.expectedReachable() + " of " + shape.expectedBytes();
            if (v.objects() != v.reachableObjects())
                return v.objects() - v.reachableObjects() + " unreachable objects survived the cycle";
            HeapChecksum after = HeapChecksum.of(heap);
            if (!after.equals(before)) return "checksum changed: before " + before + ", after " + after;
            return null;
        } catch (RuntimeException e) {
            return "the heap does not verify: " + e.getMessage();
        }
    }
}
