package io.uffdgc.bench.compaction;

import io.uffdgc.bench.report.Charts;
import io.uffdgc.bench.report.ResultFiles;
import io.uffdgc.bench.workload.ObjectMix;
import io.uffdgc.bench.workload.SurvivalPattern;
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
import picocli.CommandLine.Option;

/** scripts/bench with no subcommand: MOVE, COPY and STW compaction side by side. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Compaction benchmark: the same fragmented heap collected in MOVE, COPY and STW modes, "
                + "interleaved, while mutator threads keep working. Prints a table, writes JSON and a PNG plot.")
public final class CompactionCommand implements Callable<Integer> {
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
    @Option(names = "--modes", description = "modes, comma separated (default ${DEFAULT-VALUE})", defaultValue = "move,copy,stw")
    String modes;
    @Option(names = "--repeat", description = "repetitions per mode (default ${DEFAULT-VALUE})", defaultValue = "3")
    int repeat;
    @Option(names = "--compactors", description = "compactor threads (default ${DEFAULT-VALUE})", defaultValue = "1")
    int compactors;
    @Option(names = "--fault-threads", description = "native fault-service threads (default ${DEFAULT-VALUE})", defaultValue = "1")
    int faultThreads;
    @Option(names = "--seed", defaultValue = "20261122")
    long seed;
    @Option(names = "--out", description = "result JSON file (default results/compaction-<time>.json); the plot goes beside it")
    Path out;
    @Option(names = "--quick", description = "a run of under a minute, for checks: 256 MiB heap, 2 repetitions")
    boolean quick;
    @Option(names = "--jvm-gc-pressure", description = "a side thread allocates Java garbage and calls System.gc() throughout")
    boolean jvmGcPressure;

    @Override
    public Integer call() throws Exception {
        BenchConfig config = config();
        System.out.printf("uffdgc compaction benchmark: heap %s, live %.0f%% (%s), %d mutators, modes %s, %d repetitions%n",
                quick ? "256m" : heap, 100 * config.live(), config.pattern().name().toLowerCase(), config.mutators(),
                config.modes(), config.repeat());
        List<ModeSummary> summaries = new ArrayList<>();
        new CompactionBenchmark(config, System.out).run().forEach((m, s) -> summaries.add(new ModeSummary(m, s)));
        System.out.println();
        ResultTable.print(System.out, summaries);
        Path json = out != null ? out : Path.of("results", "compaction-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".json");
        ResultFiles.write(json, config.describe(), summaries.stream().map(ModeSummary::toJson).toList());
        Path png = json.resolveSibling(json.getFileName().toString().replaceFirst("\\.json$", "") + ".png");
        plot(png, summaries);
        System.out.println("results: " + json + ", plot: " + png);
        return summaries.stream().allMatch(ModeSummary::verified) ? 0 : 1;
    }

    BenchConfig config() {
        long bytes = quick ? 256L << 20 : Sizes.parse(heap);
        int reps = quick ? 2 : repeat;
        List<Mode> ms = new ArrayList<>();
        for (String m : modes.split(",")) ms.add(Mode.valueOf(m.trim().toUpperCase()));
        return new BenchConfig(bytes, fill, live, SurvivalPattern.valueOf(pattern.toUpperCase()), ObjectMix.parse(mix),
                mutators, ms, reps, seed, compactors, faultThreads, Duration.ofMillis(quick ? 100 : 300), jvmGcPressure);
    }

    static void plot(Path png, List<ModeSummary> summaries) throws java.io.IOException {
        Map<String, List<Double>> times = new LinkedHashMap<>();
        Map<String, Map<String, Double>> stalls = new LinkedHashMap<>();
        for (ModeSummary s : summaries) {
            if (!s.verified()) continue;
            times.put(s.mode().name(), s.samples().stream().map(Sample::compactionMillis).toList());
            if (!s.mode().concurrent()) continue;
            Histogram h = s.faultStallNanos();
            Map<String, Double> p = new LinkedHashMap<>();
            for (double q : new double[] {50, 90, 99, 99.9}) p.put("p" + q, h.getValueAtPercentile(q) / 1e3);
            p.put("max", h.getMaxValue() / 1e3);
            stalls.put(s.mode().name(), p);
        }
        Charts.writePng(png, 640, 480,
                Charts.boxes("Compacting threads' completion time", "ms", times),
                Charts.groupedBars("Fault stall (service time) percentiles", "µs", stalls));
    }
}
