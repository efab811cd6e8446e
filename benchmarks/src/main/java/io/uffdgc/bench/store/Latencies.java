package io.uffdgc.bench.store;

import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** A latency histogram in nanoseconds as the JSON's {count, p50, p99, p99_9, max} in microseconds; null if empty. */
final class Latencies {
    private Latencies() {}

    static Map<String, Object> of(Histogram ns) {
        if (ns.getTotalCount() == 0) return null;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", ns.getTotalCount());
        m.put("p50", ns.getValueAtPercentile(50) / 1e3);
        m.put("p99", ns.getValueAtPercentile(99) / 1e3);
        m.put("p99_9", ns.getValueAtPercentile(99.9) / 1e3);
        m.put("max", ns.getMaxValue() / 1e3);
        return m;
    }
}
