package io.uffdgc.bench.store;

import static io.uffdgc.bench.store.ResultEntries.num;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * scripts/bench store end to end on a tiny scale: every store in its real child JVMs, YCSB's load
 * and workload A, and the churn. The JSON must hang together: operation counts add up, latency
 * percentiles are ordered and positive, no operation failed, and the churn, the same seeded
 * stream for every store, ends with the same live bytes everywhere, which our store's own count
 * confirms to the byte.
 */
class StoreCommandTest {
    static final int RECORDS = 3000, OPERATIONS = 10_000, CHURN_KEYS = 3000, CHURN_OPS = 12_000, COLLECT_EVERY_MS = 2;

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void everyStoreRunsYcsbAndChurnWithConsistentFigures(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("store.json");
        int rc = new CommandLine(new StoreCommand()).execute("--records=" + RECORDS, "--operations=" + OPERATIONS,
                "--workloads=a", "--churn-keys=" + CHURN_KEYS, "--churn-ops=" + CHURN_OPS,
                "--collect-every-ms=" + COLLECT_EVERY_MS, "--repeat=2", "--out=" + out);
        assertEquals(0, rc, "scripts/bench store failed");
        Map<String, Object> root = new ObjectMapper().readValue(out.toFile(), new TypeReference<>() {});
        assertTrue(Files.size(dir.resolve("store.png")) > 10_000, "no plot");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> results = (List<Map<String, Object>>) root.get("results");
        // Run 1: load, A and churn per store, and our A+gc; run 2 (--repeat 2): YCSB again, load and A (and our A+gc).
        assertEquals(StoreKind.values().length * 5 + 2, results.size(), "entries: " + results);
        for (StoreKind k : StoreKind.values()) {
            assertEquals(java.util.Set.of(1, 2), ResultEntries.opsByRun(results, k, "A").keySet(), k.label() + ": A in both runs");
            assertEquals(java.util.Set.of(1), ResultEntries.opsByRun(results, k, StoreChild.CHURN).keySet(),
                    k.label() + ": the churn runs once");
        }
        long churnLive = -1;
        for (StoreKind k : StoreKind.values()) {
            Map<String, Object> load = entry(results, k, "load"), a = entry(results, k, "A"), churn = entry(results, k, "churn");
            String who = k.label();
            checkThroughput(load, RECORDS, who);
            checkThroughput(a, OPERATIONS, who);
            assertEquals(RECORDS, (long) num(load, "insert_us", "count"), who + " load inserts");
            checkLatency(load, "insert_us", who);
            checkLatency(a, "read_us", who);
            checkLatency(a, "update_us", who);
            assertEquals(OPERATIONS, (long) (num(a, "read_us", "count") + num(a, "update_us", "count")), who + " A: reads + updates");
            // Zipfian 50/50: each kind is about half.
            assertTrue(Math.abs(num(a, "read_us", "count") - OPERATIONS / 2.0) < OPERATIONS / 10.0, who + " A read share");
            assertEquals(0, (long) num(load, "failed_ops"), who);
            assertEquals(0, (long) num(a, "failed_ops"), who);

            checkThroughput(churn, CHURN_OPS, who);
            checkLatency(churn, "update_us", who);
            assertEquals(CHURN_OPS, (long) num(churn, "update_us", "count"), who + " churn puts");
            long live = (long) num(churn, "live_bytes_end");
            if (churnLive < 0) churnLive = live;
            assertEquals(churnLive, live, who + ": the same seeded churn leaves the same live bytes in every store");
            double resident = num(churn, "resident_bytes_end");
            assertTrue(resident > 0, who + " resident " + resident);
            assertEquals(resident / live, num(churn, "rss_over_live_end"), 1e-9, who);
            assertTrue(num(churn, "rss_over_live_max") >= num(churn, "rss_over_live_end"), who);
            assertTrue(num(churn, "process_rss_bytes_end") > num(churn, "baseline_rss_bytes"), who);
            @SuppressWarnings("unchecked")
            List<List<Number>> samples = (List<List<Number>>) churn.get("samples");
            assertEquals(1 + ChurnRun.SAMPLES + (int) (ChurnRun.SETTLE_SECONDS * 10), samples.size(), who);
            assertEquals(CHURN_OPS, samples.getLast().get(0).longValue(), who);
        }
        // Live bytes: the keys at their fixed length plus values of the mean size, give or take the spread.
        double expected = CHURN_KEYS * (16 + ChurnRun.meanValueBytes());
        assertTrue(Math.abs(churnLive - expected) < 0.15 * expected, "live " + churnLive + " vs about " + expected);

        Map<String, Object> ours = entry(results, StoreKind.UFFDGC, "churn");
        assertEquals(CHURN_KEYS, (long) num(ours, "store_stats_end", "entries"));
        assertEquals(churnLive, (long) num(ours, "store_stats_end", "data_bytes"), "our store counts what the churn counts");
        assertNotNull(ours.get("verified"), "our heap verified after the churn");
        Map<String, Object> oursA = entry(results, StoreKind.UFFDGC, "A");
        double during = num(oursA, "read_us_during_collection", "count"), outside = num(oursA, "read_us_outside_collection", "count");
        assertEquals(num(oursA, "read_us", "count"), (Double.isNaN(during) ? 0 : during) + outside, "reads split by collection");
        assertNull(entry(results, StoreKind.OHC, "A").get("read_us_during_collection"), "only ours is watched");
        // A again while a collection is requested every COLLECT_EVERY_MS: reads meet collections.
        Map<String, Object> oursGc = entry(results, StoreKind.UFFDGC, "A" + YcsbRun.GC_SUFFIX);
        checkThroughput(oursGc, OPERATIONS, "uffdgc-store A+gc");
        assertEquals(0, (long) num(oursGc, "failed_ops"));
        // (Its "collections" counts cycles that completed within the phase: a short phase may end inside its first.)
        assertTrue(num(oursGc, "read_us_during_collection", "count") > 0, "no read met a collection: " + oursGc);
        assertTrue(ResultEntries.find(results, StoreKind.OHC, "A" + YcsbRun.GC_SUFFIX).isEmpty(), "OHC has no collector");

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> targets = (List<Map<String, Object>>) root.get("targets");
        assertTrue(targets.stream().anyMatch(t -> t.get("target").toString().startsWith("churn: resident <= 1.3x")
                && t.get("met") != null), "the churn target is checked: " + targets);
        assertTrue(targets.stream().anyMatch(t -> t.get("target").toString().startsWith("YCSB A: ops/s >= 0.8x ohc")
                && t.get("measured").toString().contains("over 2 paired runs") && t.get("met") != null),
                "A against OHC compares the paired runs: " + targets);
    }

    private static Map<String, Object> entry(List<Map<String, Object>> results, StoreKind k, String workload) {
        Map<String, Object> m = ResultEntries.find(results, k, workload)
                .orElseThrow(() -> new AssertionError("no ok entry for " + k.label() + " " + workload + ": " + results));
        assertEquals(k.jvmNote(), m.get("jvm"));
        return m;
    }

    private static void checkThroughput(Map<String, Object> m, long ops, String who) {
        assertEquals(ops, (long) num(m, "ops"), who + " " + m.get("workload"));
        double s = num(m, "seconds");
        assertTrue(s > 0, who);
        assertEquals(ops / s, num(m, "ops_per_s"), 1e-6 * ops / s, who);
    }

    private static void checkLatency(Map<String, Object> m, String key, String who) {
        String w = who + " " + m.get("workload") + " " + key + ": " + m.get(key);
        double p50 = num(m, key, "p50"), p99 = num(m, key, "p99"), p999 = num(m, key, "p99_9"), max = num(m, key, "max");
        assertTrue(p50 > 0 && p50 <= p99 && p99 <= p999 && p999 <= max, w);
    }
}
