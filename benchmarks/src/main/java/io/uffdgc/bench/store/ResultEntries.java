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

    /**
     * ops/s of store's workload in each run (the "rep" number) that did not fail, in run order;
     * with several stores, pair them by run number.
     */
    static Map<Integer, Double> opsByRun(List<Map<String, Object>> results, StoreKind store, String workload) {
        Map<Integer, Double> out = new java.util.TreeMap<>();
        for (Map<String, Object> m : results)
            if (store.label().equals(m.get("store")) && workload.equals(m.get("workload")) && Boolean.TRUE.equals(m.get("ok")))
                out.put(m.get("rep") instanceof Number n ? n.intValue() : 1, num(m, "ops_per_s"));
        return out;
    }

    /** Whether m is from a run after the first (--repeat): tables and plots show the first run's entries. */
    static boolean laterRun(Map<String, Object> m) { return m.get("rep") instanceof Number n && n.intValue() > 1; }

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
