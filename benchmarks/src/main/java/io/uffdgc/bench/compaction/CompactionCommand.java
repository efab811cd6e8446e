package io.uffdgc.bench.compaction;

import io.uffdgc.bench.report.Charts;
import io.uffdgc.bench.report.ResultFiles;
import io.uffdgc.bench.report.Spread;
import io.uffdgc.gc.Mode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** scripts/bench with no subcommand: MOVE, COPY and STW compaction side by side. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Compaction benchmark: the same fragmented heap collected in MOVE, COPY and STW modes, "
                + "interleaved, while mutator threads keep working. Prints a table, writes JSON and a PNG plot.")
public final class CompactionCommand implements Callable<Integer> {
    private static final List<Mode> MODES = List.of(Mode.MOVE, Mode.COPY, Mode.STW);
    /**
     * Repetitions per mode by default: 6 paired repetitions are the fewest whose signed-rank
     * interval reaches 95%, but only as the whole range of the pairs' Walsh averages; 7 are
     * the fewest that leave out the two most extreme at each end (exact coverage 95.3%), and
     * the default run stays within a few minutes (3-5 on this machine).
     */
    static final int DEFAULT_REPEAT = 7;

    @Mixin
    CompactionOptions options = new CompactionOptions();
    @Option(names = "--out", description = "result JSON file (default results/compaction-<time>.json); the plot goes beside it")
    Path out;
    @Option(names = "--counters", description = "live counters in /tmp/uffdgc-<pid>.counters, for scripts/gcstat PID")
    boolean counters;
    @Option(names = "--trace", paramLabel = "FILE", description = "append a JSON line per phase and per cycle of every measured cycle to FILE (scripts/trace-plot FILE draws it)")
    Path trace;
    @Option(names = "--trace-faults", description = "with --trace: also a JSON line per fault (page, start, stall)")
    boolean traceFaults;
    @Option(names = "--quick", description = "a run of under a minute, for checks: 256 MiB heap, 2 repetitions")
    boolean quick;

    @Override
    public Integer call() throws Exception {
        BenchConfig config = config();
        System.out.printf("uffdgc compaction benchmark: heap %d MiB, live %.0f%% (%s), %d mutators, modes %s, %d repetitions,"
                        + " headline ratio on %s time%n",
                config.heapBytes() >> 20, 100 * config.live(), config.pattern().name().toLowerCase(), config.mutators(),
                config.modes(), config.repeat(), Ratios.name(config.basis()));
        List<ModeSummary> summaries = new ArrayList<>();
        if (counters) System.out.println("live counters: " + io.uffdgc.gc.observe.CountersFile.pathFor(ProcessHandle.current().pid())
                + " (scripts/gcstat " + ProcessHandle.current().pid() + ")");
        if (traceFaults && trace == null)
            throw new IllegalArgumentException("--trace-faults needs --trace FILE");
        if (trace != null) java.nio.file.Files.deleteIfExists(trace);
        new CompactionBenchmark(config, System.out).observe(counters, trace, traceFaults).run().forEach((m, s) -> summaries.add(new ModeSummary(m, s)));
        System.out.println();
        ResultTable.print(System.out, summaries, config.basis());
        Path json = out != null ? out : Path.of("results", "compaction-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".json");
        Map<String, Object> described = config.describe();
        described.put("live_counters", counters);
        described.put("trace", trace == null ? null : trace.toString());
        described.put("trace_faults", traceFaults);
        ResultFiles.write(json, described, summaries.stream().map(ModeSummary::toJson).toList(),
                Map.<String, Object>of("ratios", Ratios.toJson(summaries, config.basis())));
        Path png = json.resolveSibling(json.getFileName().toString().replaceFirst("\\.json$", "") + ".png");
        plot(png, summaries);
        System.out.println("results: " + json + ", plot: " + png);
        return summaries.stream().allMatch(ModeSummary::verified) ? 0 : 1;
    }

    BenchConfig config() {
        return quick ? options.config(MODES, 2, 256L << 20, Duration.ofMillis(100))
                : options.config(MODES, DEFAULT_REPEAT, null, Duration.ofMillis(300));
    }

    static void plot(Path png, List<ModeSummary> summaries) throws java.io.IOException {
        Map<String, List<Double>> times = new LinkedHashMap<>(), cpu = new LinkedHashMap<>();
        Map<String, List<double[]>> mmu = new LinkedHashMap<>();
        Map<String, Map<String, Double>> stalls = new LinkedHashMap<>();
        for (ModeSummary s : summaries) {
            if (!s.verified()) continue;
            times.put(s.mode().name(), s.samples().stream().map(Sample::compactionMillis).toList());
            cpu.put(s.mode().name(), s.samples().stream().map(Sample::compactionCpuMillis).toList());
            List<double[]> curve = new ArrayList<>();
            for (double w : ModeSummary.MMU_CURVE_MS) {
                Spread m = s.mmuSpread(w);
                if (m != null) curve.add(new double[] {w, m.median()});
            }
            if (!curve.isEmpty()) mmu.put(s.mode().name(), curve);
            if (!s.mode().concurrent()) continue;
            Histogram h = s.faultStallNanos();
            Map<String, Double> p = new LinkedHashMap<>();
            for (double q : new double[] {50, 90, 99, 99.9}) p.put("p" + q, h.getValueAtPercentile(q) / 1e3);
            p.put("max", h.getMaxValue() / 1e3);
            stalls.put(s.mode().name(), p);
        }
        Charts.writePng(png, 640, 480,
                Charts.boxes("Compacting threads' completion time", "ms", times),
                Charts.boxes("Compacting threads' CPU time (user + system)", "ms", cpu),
                Charts.mmu("Minimum mutator utilization (median of repetitions)", mmu),
                Charts.groupedBars("Fault stall (service time) percentiles", "µs", stalls, true, 1));
    }
}
