package io.uffdgc.bench.store;

import static io.uffdgc.bench.store.ResultEntries.find;
import static io.uffdgc.bench.store.ResultEntries.num;
import static io.uffdgc.bench.store.ResultEntries.opsByRun;

import io.uffdgc.bench.report.RatioInterval;
import io.uffdgc.bench.report.Spread;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The targets, checked on one run's results: after the churn, our resident memory at
 * most 1.3x live and the lowest of all stores; YCSB throughput at least OHC's and Chronicle
 * Map's on B and C and at least 0.8x on A (with several runs: the Hodges-Lehmann estimate of the
 * ratio over runs paired by number, its interval printed); our p99.9 read latency during a collection at most
 * 2x outside one. A target whose figures are missing (store not run, failed, no collection) is
 * reported as not checked, never as met.
 */
final class StoreTargets {
    static final double RSS_OVER_LIVE = 1.3, DURING_OVER_OUTSIDE = 2;

    private StoreTargets() {}

    static List<Map<String, Object>> check(List<Map<String, Object>> results) {
        List<Map<String, Object>> t = new ArrayList<>();
        Optional<Map<String, Object>> ours = find(results, StoreKind.UFFDGC, StoreChild.CHURN);
        double ratio = ours.map(m -> num(m, "rss_over_live_end")).orElse(Double.NaN);
        t.add(target("churn: resident <= " + RSS_OVER_LIVE + "x live", ours.map(m -> String.format("%.2fx (the store's own "
                        + "count: heap resident %.2fx its live bytes)", ratio, num(m, "store_stats_end", "resident_bytes")
                        / num(m, "store_stats_end", "live_bytes"))).orElse("not run (or failed)"),
                Double.isNaN(ratio) ? null : ratio <= RSS_OVER_LIVE));
        double lowestPeer = Double.POSITIVE_INFINITY;
        String lowestName = "-";
        for (StoreKind k : StoreKind.values()) {
            if (k == StoreKind.UFFDGC) continue;
            double r = find(results, k, StoreChild.CHURN).map(m -> num(m, "rss_over_live_end")).orElse(Double.NaN);
            if (r < lowestPeer) { lowestPeer = r; lowestName = k.label(); }
        }
        t.add(target("churn: resident/live the lowest of all stores",
                String.format("ours %.2fx, lowest peer %s %.2fx", ratio, lowestName, lowestPeer),
                Double.isNaN(ratio) || lowestPeer == Double.POSITIVE_INFINITY ? null : ratio < lowestPeer));
        for (String[] w : new String[][] {{"B", "1"}, {"C", "1"}, {"A", "0.8"}}) {
            for (StoreKind peer : List.of(StoreKind.OHC, StoreKind.CHRONICLE)) {
                double factor = Double.parseDouble(w[1]);
                String what = "YCSB " + w[0] + ": ops/s >= " + (factor == 1 ? "" : w[1] + "x ") + peer.label() + "'s";
                Map<Integer, Double> mine = opsByRun(results, StoreKind.UFFDGC, w[0]), theirs = opsByRun(results, peer, w[0]);
                List<Double> a = new ArrayList<>(), b = new ArrayList<>();
                for (Map.Entry<Integer, Double> e : mine.entrySet()) {
                    Double other = theirs.get(e.getKey());
                    if (other != null && e.getValue() > 0 && other > 0) {
                        a.add(e.getValue());
                        b.add(other);
                    }
                }
                if (a.isEmpty()) {
                    t.add(target(what, "not run (or failed)", null));
                } else if (a.size() == 1) {
                    t.add(target(what, String.format("%.0f vs %.0f (%.2fx, one run)", a.get(0), b.get(0), a.get(0) / b.get(0)),
                            a.get(0) >= factor * b.get(0)));
                } else {
                    // Paired by run (the same order position every run): the ratio's estimate and interval.
                    RatioInterval r = RatioInterval.paired(a, b, 0.95);
                    t.add(target(what, String.format("%s over %d paired runs (%s interval%s), median %.0f vs %.0f", r.brief(),
                            r.pairs(), r.reachesLevel() ? "95%" : String.format("only a %.0f%%", 100 * r.coverage()),
                            r.lo() <= factor && factor <= r.hi() ? ", includes " + w[1] : "", Spread.of(a).median(),
                            Spread.of(b).median()),
                            r.value() >= factor));
                }
            }
        }
        for (Map<String, Object> m : results) {
            if (!StoreKind.UFFDGC.label().equals(m.get("store")) || !Boolean.TRUE.equals(m.get("ok"))) continue;
            double during = num(m, "read_us_during_collection", "p99_9"), outside = num(m, "read_us_outside_collection", "p99_9");
            if (Double.isNaN(during) && Double.isNaN(outside)) continue;
            // Only phases that requested collections say something about them (the others: by policy, often none).
            if (!String.valueOf(m.get("workload")).endsWith(YcsbRun.GC_SUFFIX) && Double.isNaN(during)) continue;
            String what = "YCSB " + m.get("workload") + ": read p99.9 during a collection <= " + DURING_OVER_OUTSIDE + "x outside";
            if (Double.isNaN(during)) {
                t.add(target(what, "no read met a collection (" + (long) num(m, "collections") + " ran)", null));
                continue;
            }
            t.add(target(what, String.format("%.1f vs %.1f us (%.2fx; %d reads met a collection, %d collections)", during,
                    outside, during / outside, (long) num(m, "read_us_during_collection", "count"), (long) num(m, "collections")),
                    Double.isNaN(outside) ? null : during <= DURING_OVER_OUTSIDE * outside));
        }
        return t;
    }

    /** met: true, false, or null when not checked. */
    private static Map<String, Object> target(String what, String measured, Boolean met) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("target", what);
        m.put("measured", measured);
        m.put("met", met);
        return m;
    }
}
