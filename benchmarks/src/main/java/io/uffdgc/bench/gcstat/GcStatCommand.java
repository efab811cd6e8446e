package io.uffdgc.bench.gcstat;

import io.uffdgc.gc.observe.CountersFile;
import io.uffdgc.gc.observe.LiveCounter;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.agrona.concurrent.status.CountersReader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * scripts/gcstat: the live counters of a running process's collectors, a line per heap per
 * interval, like vmstat: totals for the gauges, per-second rates for what C counts.
 */
@Command(name = "gcstat", mixinStandardHelpOptions = true,
        description = "Prints the live counters of a process's uffdgc collectors (CollectorConfig.withLiveCounters, "
                + "scripts/bench --counters) once per interval, like vmstat. Rates are per second since the previous line.")
public final class GcStatCommand implements Callable<Integer> {
    @Parameters(paramLabel = "PID|FILE", description = "a process id (its file is /tmp/uffdgc-<pid>.counters) or a counters file")
    String target;
    @Option(names = "--interval-ms", defaultValue = "1000", description = "between lines (default ${DEFAULT-VALUE})")
    long intervalMillis;
    @Option(names = "--count", defaultValue = "0", description = "lines to print, 0 = until the process ends (default ${DEFAULT-VALUE})")
    int count;

    @Override
    public Integer call() throws Exception {
        Path file = target.matches("\\d+") ? CountersFile.pathFor(Long.parseLong(target)) : Path.of(target);
        if (!Files.exists(file)) {
            System.err.println("gcstat: no counters file " + file + " (does the process run a collector with live counters?"
                    + " scripts/bench --counters, CollectorConfig.withLiveCounters(true))");
            return 1;
        }
        CountersFile.Opened opened = CountersFile.open(file);
        PrintStream out = System.out;
        out.printf("gcstat: pid %d, %s%n", opened.pid(), file);
        Map<String, Map<LiveCounter, Long>> previous = new LinkedHashMap<>();
        long prevAt = System.nanoTime();
        for (int line = 0; count == 0 || line < count; line++) {
            if (line > 0) Thread.sleep(intervalMillis);
            long now = System.nanoTime();
            double seconds = Math.max(1e-9, (now - prevAt) / 1e9);
            prevAt = now;
            Map<String, Map<LiveCounter, Long>> heaps = read(opened.counters());
            if (line % 20 == 0)
                out.printf("%-16s %6s %9s %9s %9s %9s %9s %9s %8s %9s %9s %6s%n", "heap", "cycles", "pause_ms", "max_ms",
                        "moved/s", "copied/s", "zeroed/s", "faults/s", "ebusy", "resid_MiB", "live_MiB", "used%");
            for (var e : heaps.entrySet()) {
                Map<LiveCounter, Long> v = e.getValue(), p = previous.getOrDefault(e.getKey(), v);
                out.printf("%-16s %6d %9.2f %9.2f %9.0f %9.0f %9.0f %9.0f %8d %9d %9d %6.1f%n", e.getKey(),
                        v.get(LiveCounter.CYCLES), v.get(LiveCounter.LAST_PAUSE_NS) / 1e6, v.get(LiveCounter.MAX_PAUSE_NS) / 1e6,
                        rate(v, p, LiveCounter.PAGES_MOVED, seconds), rate(v, p, LiveCounter.PAGES_COPIED, seconds),
                        rate(v, p, LiveCounter.PAGES_ZEROED, seconds), rate(v, p, LiveCounter.FAULTS_SERVED, seconds),
                        v.get(LiveCounter.EBUSY_FALLBACKS), v.get(LiveCounter.RESIDENT_BYTES) >> 20,
                        v.get(LiveCounter.LIVE_BYTES) >> 20,
                        100.0 * v.get(LiveCounter.USED_BYTES) / Math.max(1, v.get(LiveCounter.CAPACITY_BYTES)));
            }
            if (heaps.isEmpty()) out.println("(no collector with live counters open)");
            previous = heaps;
            if (ProcessHandle.of(opened.pid()).map(h -> !h.isAlive()).orElse(true)) {
                out.println("gcstat: process " + opened.pid() + " has ended");
                return 0;
            }
        }
        return 0;
    }

    private static double rate(Map<LiveCounter, Long> now, Map<LiveCounter, Long> before, LiveCounter c, double seconds) {
        return Math.max(0, now.get(c) - before.getOrDefault(c, now.get(c))) / seconds;
    }

    /** Every heap's counters, by the label's heap part; a heap shows once all its counters are allocated. */
    static Map<String, Map<LiveCounter, Long>> read(CountersReader r) {
        Map<String, Map<LiveCounter, Long>> heaps = new LinkedHashMap<>();
        r.forEach((id, typeId, key, label) -> {
            LiveCounter c = LiveCounter.ofTypeId(typeId);
            int colon = label.lastIndexOf(": ");
            if (c == null || colon < 0) return;
            heaps.computeIfAbsent(label.substring(0, colon), k -> new EnumMap<>(LiveCounter.class)).put(c, r.getCounterValue(id));
        });
        heaps.values().removeIf(m -> m.size() < LiveCounter.values().length);
        return heaps;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new GcStatCommand()).execute(args));
    }
}
