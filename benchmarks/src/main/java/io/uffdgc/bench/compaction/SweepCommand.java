package io.uffdgc.bench.compaction;

import io.uffdgc.bench.OptionTypes;
import io.uffdgc.bench.report.Charts;
import io.uffdgc.bench.report.ResultFiles;
import io.uffdgc.bench.report.Spread;
import io.uffdgc.gc.Mode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * scripts/bench sweep: the MOVE/COPY completion-time ratio and the fault-stall p99
 * over live fractions and heap sizes, the figure a GC researcher would plot.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = "MOVE/COPY compaction-time ratio and fault-stall p99 over live fraction x heap size (slow: ~15 min by default).")
public final class SweepCommand implements Callable<Integer> {
    @Option(names = "--heaps", split = ",", converter = OptionTypes.Size.class, defaultValue = "256m,512m,1g,2g,4g",
            description = "heap sizes (default ${DEFAULT-VALUE})")
    List<Long> heaps;
    @Option(names = "--lives", split = ",", description = "live fractions (default ${DEFAULT-VALUE})", defaultValue = "0.1,0.3,0.5,0.7,0.9")
    List<Double> lives;
    @Option(names = "--quick", description = "heaps 256m,512m and lives 0.25,0.5,0.75 only")
    boolean quick;
    @Option(names = "--out", description = "result JSON (default ${DEFAULT-VALUE}); the plot goes beside it", defaultValue = "results/sweep.json")
    Path out;
    @Mixin
    CompactionOptions options = new CompactionOptions();

    @Override
    public Integer call() throws Exception {
        List<Long> hs = quick ? List.of(256L << 20, 512L << 20) : heaps;
        List<Double> ls = quick ? List.of(0.25, 0.5, 0.75) : lives;
        BenchConfig template = options.config(List.of(Mode.MOVE, Mode.COPY), 1, null, Duration.ofMillis(300));
        List<Map<String, Object>> points = new ArrayList<>();
        Map<String, List<double[]>> ratioLines = new LinkedHashMap<>(), moveP99 = new LinkedHashMap<>(),
                copyP99 = new LinkedHashMap<>();
        boolean warm = true, allVerified = true;
        System.out.printf("%-6s %-5s %-22s %-14s %-14s%n", "heap", "live", "MOVE/COPY [min-max]", "MOVE p99 us", "COPY p99 us");
        for (long heap : hs) {
            String h = Sizes.format(heap);
            for (double live : ls) {
                BenchConfig c = template.withHeapAndLive(heap, live);
                List<ModeSummary> sums = new ArrayList<>();
                new CompactionBenchmark(c, System.err).run(warm).forEach((m, s) -> sums.add(new ModeSummary(m, s)));
                warm = false;
                Optional<Spread> ratio = ResultTable.ratio(sums, Mode.MOVE, Mode.COPY);
                double mp = p99(sums, Mode.MOVE), cp = p99(sums, Mode.COPY);
                allVerified &= sums.stream().allMatch(ModeSummary::verified);
                System.out.printf("%-6s %-5.2f %-22s %-14.1f %-14.1f%n", h, live, ratio.map(
                        r -> String.format("%.2f [%.2f-%.2f]", r.median(), r.min(), r.max())).orElse("FAILED"), mp, cp);
                Map<String, Object> p = new LinkedHashMap<>();
                p.put("heap_bytes", c.heapBytes());
                p.put("live_fraction", live);
                p.put("move_over_copy", ratio.map(Spread::median).orElse(null));
                p.put("move_fault_stall_p99_us", mp);
                p.put("copy_fault_stall_p99_us", cp);
                p.put("modes", sums.stream().map(ModeSummary::toJson).toList());
                points.add(p);
                ratio.ifPresent(r -> ratioLines.computeIfAbsent(h, k -> new ArrayList<>()).add(new double[] {live, r.median()}));
                moveP99.computeIfAbsent("MOVE " + h, k -> new ArrayList<>()).add(new double[] {live, mp});
                copyP99.computeIfAbsent("COPY " + h, k -> new ArrayList<>()).add(new double[] {live, cp});
            }
        }
        ResultFiles.write(out, template.describe(), points);
        Map<String, List<double[]>> stalls = new LinkedHashMap<>(moveP99);
        stalls.putAll(copyP99);
        Path png = out.resolveSibling(out.getFileName().toString().replaceFirst("\\.json$", "") + ".png");
        Charts.writePng(png, 640, 480,
                Charts.lines("MOVE/COPY compacting-thread completion time", "live fraction", "MOVE / COPY", ratioLines),
                Charts.lines("Fault stall p99 (service time)", "live fraction", "µs", stalls));
        System.out.println("results: " + out + ", plot: " + png);
        return allVerified ? 0 : 1;
    }

    private static double p99(List<ModeSummary> sums, Mode m) {
        return sums.stream().filter(s -> s.mode() == m && s.verified()).findFirst()
                .map(s -> s.faultStallNanos().getValueAtPercentile(99) / 1e3).orElse(Double.NaN);
    }
}
