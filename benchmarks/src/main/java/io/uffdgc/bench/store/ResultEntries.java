package io.uffdgc.bench.store;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reading the result entries (JSON maps) back: one entry by store and workload, a number by its path. */
final class ResultEntries {
    private ResultEntries() {}

    static Optional<Map<String, Object>> find(List<Map<String, Object>> results, StoreKind store, String workload) {
        return results.stream().filter(m -> store.label().equals(m.get("store")) && workload.equals(m.get("workload"))
                && Boolean.TRUE.equals(m.get("ok"))).findFirst();
    }

    /** The number at path (e.g. "read_us", "p99_9"), NaN if any step is missing. */
    static double num(Map<String, Object> m, String... path) {
        Object o = m;
        for (String p : path) {
            if (!(o instanceof Map<?, ?> map)) return Double.NaN;
            o = map.get(p);
        }
        return o instanceof Number n ? n.doubleValue() : Double.NaN;
    }
}
