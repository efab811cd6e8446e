package io.uffdgc.bench.store;

import static io.uffdgc.bench.store.ResultEntries.num;

import io.uffdgc.bench.report.Spread;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/** The terminal tables of a store run: YCSB by workload and store, the churn by store, the targets. */
final class StoreTable {
    private StoreTable() {}

    static void print(PrintStream out, List<Map<String, Object>> results) {
        out.printf("%-8s %-14s %-20s %10s | %-30s | %-30s | %6s %6s%n", "workload", "store", "jvm", "ops/s",
                "read us p50/p99/p99.9/max", "update us p50/p99/p99.9/max", "cycles", "failed");
        for (Map<String, Object> m : results) {
            if (StoreChild.CHURN.equals(m.get("workload")) || ResultEntries.laterRun(m)) continue;
            if (failed(out, m)) continue;
            String updates = m.get("update_us") != null ? lat(m, "update_us") : lat(m, "insert_us");
            out.printf("%-8s %-14s %-20s %10.0f | %-30s | %-30s | %6d %6d%n", m.get("workload"), m.get("store"), m.get("jvm"),
                    num(m, "ops_per_s"), lat(m, "read_us"), updates, (long) num(m, "collections"), (long) num(m, "failed_ops"));
        }
        out.println("(load: the update column is the inserts)" + (results.stream().anyMatch(ResultEntries::laterRun)
                ? "; the first run of each; every run's ops/s below" : ""));
        out.println();
        printRuns(out, results);
        out.printf("%-14s %-20s %10s %12s %12s %12s %12s %12s%n", "churn store", "jvm", "ops/s", "rss/live end",
                "rss/live max", "resident end", "live end", "put p99.9");
        for (Map<String, Object> m : results) {
            if (!StoreChild.CHURN.equals(m.get("workload"))) continue;
            if (failed(out, m)) continue;
            out.printf("%-14s %-20s %10.0f %11.2fx %11.2fx %8.1f MiB %8.1f MiB %9.1f us%n", m.get("store"), m.get("jvm"),
                    num(m, "ops_per_s"), num(m, "rss_over_live_end"), num(m, "rss_over_live_max"),
                    num(m, "resident_bytes_end") / (1 << 20), num(m, "live_bytes_end") / (1 << 20), num(m, "update_us", "p99_9"));
        }
        out.println();
        out.printf("%-8s %-38s %-38s%n", "uffdgc", "read us during a collection p50/p99/p99.9/max (n)", "outside p50/p99/p99.9/max (n)");
        for (Map<String, Object> m : results) {
            if (!StoreKind.UFFDGC.label().equals(m.get("store")) || m.get("read_us_outside_collection") == null || ResultEntries.laterRun(m))
                continue;
            out.printf("%-8s %-38s %-38s%n", m.get("workload"), lat(m, "read_us_during_collection") + count(m, "read_us_during_collection"),
                    lat(m, "read_us_outside_collection") + count(m, "read_us_outside_collection"));
        }
        out.println();
    }

    /** With several runs: each workload's ops/s per store, median [min-max] over the runs. */
    private static void printRuns(PrintStream out, List<Map<String, Object>> results) {
        if (results.stream().noneMatch(ResultEntries::laterRun)) return;
        Map<String, Map<String, List<Double>>> byWorkload = new java.util.LinkedHashMap<>();
        for (Map<String, Object> m : results) {
            if (StoreChild.CHURN.equals(m.get("workload")) || !Boolean.TRUE.equals(m.get("ok"))) continue;
            byWorkload.computeIfAbsent((String) m.get("workload"), w -> new java.util.LinkedHashMap<>())
                    .computeIfAbsent((String) m.get("store"), s -> new java.util.ArrayList<>()).add(num(m, "ops_per_s"));
        }
        out.println("ops/s over the runs, median [min-max] (n):");
        for (Map.Entry<String, Map<String, List<Double>>> w : byWorkload.entrySet()) {
            StringBuilder b = new StringBuilder(String.format("  %-6s", w.getKey()));
            for (Map.Entry<String, List<Double>> s : w.getValue().entrySet()) {
                Spread v = Spread.of(s.getValue());
                b.append(String.format("  %s %.0f [%.0f-%.0f] (%d)", s.getKey(), v.median(), v.min(), v.max(), v.count()));
            }
            out.println(b);
        }
        out.println();
    }

    static void printTargets(PrintStream out, List<Map<String, Object>> targets) {
        out.println("targets (issue 9):");
        for (Map<String, Object> t : targets) {
            Object met = t.get("met");
            out.printf("  %-12s %-60s %s%n", met == null ? "NOT CHECKED" : (Boolean) met ? "met" : "NOT MET", t.get("target"),
                    t.get("measured"));
        }
        out.println();
    }

    private static boolean failed(PrintStream out, Map<String, Object> m) {
        if (Boolean.TRUE.equals(m.get("ok"))) return false;
        out.printf("%-8s %-14s FAILED: %s%n", m.get("workload"), m.get("store"), String.valueOf(m.get("failure")).replace('\n', ' '));
        return true;
    }

    private static String lat(Map<String, Object> m, String key) {
        if (m.get(key) == null) return "-";
        return String.format("%.1f/%.1f/%.1f/%.0f", num(m, key, "p50"), num(m, key, "p99"), num(m, key, "p99_9"), num(m, key, "max"));
    }

    private static String count(Map<String, Object> m, String key) {
        return m.get(key) == null ? "" : " (" + (long) num(m, key, "count") + ")";
    }
}
