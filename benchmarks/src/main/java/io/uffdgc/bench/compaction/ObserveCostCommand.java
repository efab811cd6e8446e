package io.uffdgc.bench.compaction;

import io.uffdgc.bench.report.RatioInterval;
import io.uffdgc.bench.report.ResultFiles;
import io.uffdgc.bench.report.Spread;
import io.uffdgc.gc.Mode;
import io.uffdgc.gc.observe.CollectorEvents;
import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.ToDoubleFunction;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordingFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * scripts/bench observe-cost: what watching the collector costs. Pairs of the main benchmark's
 * measurement (same heap, seed and load), one with everything off and one with live counters
 * on and a JFR recording running (the JDK's "default" settings, to disk, io.uffdgc events
 * included), in alternating order; the ON/OFF ratio of the mutators' throughput, of the
 * compaction time and of the longest pause, each with its 95% interval (RatioInterval).
 *
 * <p>All in one JVM, so that a pair's two halves run minutes apart at most, not processes
 * apart. One consequence, said in the output: after the first recording the JFR gate
 * (JfrGate) stays open, so the OFF halves build their events and find nothing recording,
 * where a JVM that never records would not even do that.
 */
@Command(name = "observe-cost", mixinStandardHelpOptions = true,
        description = "Throughput with live counters and a JFR recording on, against everything off: paired measurements "
                + "of the main benchmark (--repeat sets the pairs, default 10; --modes, default move), alternating, with 95%% "
                + "intervals of the ratios.")
public final class ObserveCostCommand implements Callable<Integer> {
    static final int DEFAULT_PAIRS = 10;

    @Mixin
    CompactionOptions options = new CompactionOptions();
    @Option(names = "--out", description = "result JSON file (default results/observe-cost-<time>.json)")
    Path out;
    @Option(names = "--observe", paramLabel = "counters|jfr|both|ours", defaultValue = "both",
            description = "what the ON halves turn on: live counters, a JFR recording with the JDK's default settings, both "
                    + "(default), or ours: counters and a recording of this collector's events only (every JDK event off)")
    String observe;

    @Override
    public Integer call() throws Exception {
        BenchConfig config = options.config(List.of(Mode.MOVE), DEFAULT_PAIRS, null, Duration.ofMillis(300));
        boolean counters, recording;
        switch (observe) {
            case "counters" -> { counters = true; recording = false; }
            case "jfr" -> { counters = false; recording = true; }
            case "both", "ours" -> { counters = true; recording = true; }
            default -> throw new IllegalArgumentException("--observe " + observe + ": counters, jfr, both or ours");
        }
        boolean oursOnly = observe.equals("ours");
        String what = oursOnly ? "live counters + JFR recording of io.uffdgc events only"
                : counters && recording ? "live counters + JFR recording" : counters ? "live counters" : "JFR recording";
        System.out.printf("uffdgc observe-cost: heap %d MiB, live %.0f%%, %d mutators, modes %s, %d pairs (OFF, and ON: %s),"
                        + " order alternating%n",
                config.heapBytes() >> 20, 100 * config.live(), config.mutators(), config.modes(), config.repeat(), what);
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        CompactionBenchmark off = new CompactionBenchmark(config, quiet), on = new CompactionBenchmark(config, quiet)
                .observe(counters, null, false);
        Path jfr = Files.createTempFile("uffdgc-observe-cost", ".jfr");
        List<Map<String, Object>> results = new ArrayList<>();
        boolean ok = true;
        try {
            // JIT warm-up, discarded (every mode, a small heap); with a recording, so that the flight
            // recorder's one-time start-up (its metadata, its threads) is not in the first ON half.
            if (recording) {
                try (Recording r = recording(oursOnly)) {
                    r.start();
                    off.warmUp();
                }
            } else {
                off.warmUp();
            }
            for (Mode mode : config.modes()) {
                List<Sample> offs = new ArrayList<>(), ons = new ArrayList<>();
                List<Double> jfrShare = new ArrayList<>(), processShare = new ArrayList<>();   // of one core
                long events = 0;
                for (int pair = 0; pair < config.repeat(); pair++) {
                    boolean onFirst = pair % 2 == 1;
                    for (int half = 0; half < 2; half++) {
                        boolean observed = (half == 0) == onFirst;
                        Sample s;
                        if (observed && recording) {
                            s = measureRecorded(recording(oursOnly), on, mode, pair, jfr, jfrShare, processShare);
                            events += cycleEvents(jfr);
                        } else {
                            s = (observed ? on : off).measure(mode, pair);
                        }
                        if (!s.verified()) throw new IllegalStateException(mode + " pair " + (pair + 1) + ": " + s.failure());
                        (observed ? ons : offs).add(s);
                        System.out.printf(Locale.ROOT, "  %-4s pair %2d %-3s: %,.0f mutator ops/s, compaction %.1f ms, longest pause %.2f ms%n",
                                mode, pair + 1, observed ? "ON" : "OFF", s.load().opsPerSecond(), s.compactionMillis(),
                                s.stats().longestPauseNanos() / 1e6);
                    }
                }
                if (recording && events < config.repeat()) {
                    ok = false;
                    System.out.println("  the recordings held " + events + " io.uffdgc.Cycle events for " + config.repeat()
                            + " observed cycles: JFR was not on");
                }
                Map<String, Object> summary = summary(mode, offs, ons, events);
                if (recording) {
                    Spread j = Spread.of(jfrShare), p = Spread.of(processShare);
                    System.out.printf(Locale.ROOT, "  JFR's own threads: %.2f%% of one core [%.2f\u2013%.2f] while the process used"
                            + " %.0f%% (%.2f%% of its CPU), median [min\u2013max] of the ON halves%n",
                            100 * j.median(), 100 * j.min(), 100 * j.max(), 100 * p.median(), 100 * j.median() / p.median());
                    summary.put("jfr_threads_cpu_share_of_core", Map.of("median", j.median(), "min", j.min(), "max", j.max()));
                    summary.put("process_cpu_share_of_core", p.median());
                }
                results.add(summary);
            }
        } finally {
            Files.deleteIfExists(jfr);
        }
        System.out.println("\n(" + RatioInterval.METHOD + (recording ? "; after the warm-up's recording the OFF halves run with"
                + " the JFR gate open but nothing recording)" : ")"));
        Path json = out != null ? out : Path.of("results", "observe-cost-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".json");
        Map<String, Object> described = config.describe();
        described.put("observed", what + (recording && !oursOnly ? " (settings: default, to disk)" : recording ? " (to disk)" : ""));
        ResultFiles.write(json, described, results);
        System.out.println("results: " + json);
        return ok ? 0 : 1;
    }

    /** A recording with the JDK's "default" settings, or (oursOnly) of this collector's events and nothing else. */
    private static Recording recording(boolean oursOnly) throws java.io.IOException, java.text.ParseException {
        if (!oursOnly) return new Recording(Configuration.getConfiguration("default"));
        Recording r = new Recording();
        for (String n : CollectorEvents.NAMES) r.enable(n);
        return r;
    }

    /**
     * One measurement inside a JFR recording (to disk), dumped to
     * jfr after; adds the share of one core that the recorder's threads and the whole process
     * took meanwhile.
     */
    private static Sample measureRecorded(Recording recording, CompactionBenchmark on, Mode mode, int pair, Path jfr,
                                          List<Double> jfrShare, List<Double> processShare) throws Exception {
        try (Recording r = recording) {
            r.setToDisk(true);
            long cpu0 = jfrThreadsCpuNanos(), proc0 = MutatorLoad.processCpuNanos(), t0 = System.nanoTime();
            r.start();
            Sample s = on.measure(mode, pair);
            r.stop();
            long wall = System.nanoTime() - t0;
            jfrShare.add((jfrThreadsCpuNanos() - cpu0) / (double) wall);
            processShare.add((MutatorLoad.processCpuNanos() - proc0) / (double) wall);
            r.dump(jfr);
            return s;
        }
    }

    /**
     * CPU time so far of the flight recorder's own threads, the JVM's native ones ("JFR Sampler",
     * "JFR Recorder Thread") with the Java ones ("JFR Periodic Tasks", ...): every thread of this
     * process whose name starts with "JFR", from /proc/self/task/TID/schedstat (ns on the CPU).
     */
    private static long jfrThreadsCpuNanos() throws java.io.IOException {
        long sum = 0;
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path t : tasks.toList()) {
                try {
                    if (!Files.readString(t.resolve("comm")).startsWith("JFR")) continue;
                    sum += Long.parseLong(Files.readString(t.resolve("schedstat")).split(" ")[0]);
                } catch (java.nio.file.NoSuchFileException gone) {
                    // the thread ended between the listing and the read: its time is lost, as a thread's is
                }
            }
        }
        return sum;
    }

    private static long cycleEvents(Path jfr) throws java.io.IOException {
        return RecordingFile.readAllEvents(jfr).stream().filter(e -> e.getEventType().getName().equals("io.uffdgc.Cycle")).count();
    }

    private static Map<String, Object> summary(Mode mode, List<Sample> offs, List<Sample> ons, long events) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mode", mode.name().toLowerCase());
        m.put("pairs", offs.size());
        m.put("jfr_cycle_events", events);
        System.out.printf("%n%s, ON/OFF, median of pairs [95%% interval]:%n", mode);
        m.put("mutator_ops_per_s", ratio("mutator ops/s (throughput)", offs, ons, s -> s.load().opsPerSecond()));
        m.put("mutator_ops_per_s_outside_cycle", ratio("  of that, outside the cycle", offs, ons,
                s -> s.load().outsideCycleOpsPerSecond()));
        m.put("process_cpu_ns_per_op", ratio("process CPU ns per mutator op", offs, ons,
                s -> s.load().processCpuNanosPerOp()));
        m.put("compaction_ms", ratio("compaction time", offs, ons, Sample::compactionMillis));
        m.put("longest_pause_ms", ratio("longest pause", offs, ons, s -> s.stats().longestPauseNanos() / 1e6));
        return m;
    }

    private static Map<String, Object> ratio(String name, List<Sample> offs, List<Sample> ons, ToDoubleFunction<Sample> f) {
        List<Double> a = ons.stream().map(f::applyAsDouble).toList(), b = offs.stream().map(f::applyAsDouble).toList();
        RatioInterval r = RatioInterval.paired(a, b, 0.95);
        Spread on = Spread.of(a), off = Spread.of(b);
        System.out.printf(Locale.ROOT, "  %-28s OFF %12.2f  ON %12.2f  ON/OFF %s%s%n", name, off.median(), on.median(), r.brief(),
                r.reachesLevel() ? "" : String.format(Locale.ROOT, " (coverage %.0f%%: too few pairs)", 100 * r.coverage()));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("off_median", off.median());
        m.put("on_median", on.median());
        m.put("on_over_off", Map.of("value", r.value(), "ci95", List.of(r.lo(), r.hi()), "coverage", r.coverage()));
        return m;
    }
}
