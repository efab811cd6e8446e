package io.uffdgc.bench.store;

import static io.uffdgc.bench.store.ResultEntries.num;

import io.uffdgc.bench.report.Charts;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The PNG of a store run: resident over live through the churn, YCSB throughput and read p99.9 by workload. */
final class StorePlots {
    private static final double LOG_FLOOR_US = 0.1;

    private StorePlots() {}

    static void write(Path png, List<Map<String, Object>> results) throws IOException {
        Map<String, List<double[]>> ratio = new LinkedHashMap<>();
        Map<String, Map<String, Double>> ops = new LinkedHashMap<>(), p999 = new LinkedHashMap<>();
        for (Map<String, Object> m : results) {
            if (!Boolean.TRUE.equals(m.get("ok")) || ResultEntries.laterRun(m)) continue;   // the first run's, as the table
            String store = (String) m.get("store"), workload = (String) m.get("workload");
            if (StoreChild.CHURN.equals(workload)) {
                List<double[]> pts = new ArrayList<>();
                @SuppressWarnings("unchecked")
                List<List<Number>> samples = (List<List<Number>>) m.get("samples");
                for (List<Number> s : samples) {
                    double live = s.get(3).doubleValue();
                    if (live > 0) pts.add(new double[] {s.get(0).doubleValue(), s.get(2).doubleValue() / live});
                }
                ratio.put(store, pts);
            } else if (!"load".equals(workload) && !workload.endsWith(YcsbRun.GC_SUFFIX)) { // (bars: workloads every store ran)
                ops.computeIfAbsent(store, k -> new LinkedHashMap<>()).put(workload, num(m, "ops_per_s"));
                p999.computeIfAbsent(store, k -> new LinkedHashMap<>()).put(workload, num(m, "read_us", "p99_9"));
            }
        }
        Charts.writePng(png, 560, 440,
                Charts.lines("Churn: resident / live", "operations", "resident / live bytes", ratio),
                Charts.groupedBars("YCSB throughput", "operations/s", ops, false, 0),
                Charts.groupedBars("YCSB read p99.9 (log scale)", "us", p999, true, LOG_FLOOR_US));
    }
}
