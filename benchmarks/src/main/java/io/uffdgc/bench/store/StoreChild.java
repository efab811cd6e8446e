package io.uffdgc.bench.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.uffdgc.bench.child.ProcStatus;
import io.uffdgc.bench.store.ycsb.RecordDB;
import io.uffdgc.bench.store.ycsb.UffdgcStoreDB;
import io.uffdgc.heap.verify.HeapVerifier;
import io.uffdgc.store.OffHeapStore;
import io.uffdgc.store.StoreStats;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The main class of a child JVM of scripts/bench store: one store, YCSB or the churn, one line
 * of JSON on stdout and exit 0, or the failure on stderr and exit 1. Arguments:
 * {@code ycsb|churn <store label> <StoreBenchConfig as JSON>}.
 */
public final class StoreChild {
    static final String YCSB = "ycsb", CHURN = "churn";
    private static final ObjectMapper JSON = new ObjectMapper();

    private StoreChild() {}

    public static void main(String[] args) {
        try {
            if (args.length != 3) throw new IllegalArgumentException("usage: StoreChild ycsb|churn <store> <config json>");
            StoreKind kind = StoreKind.parse(args[1]);
            StoreBenchConfig c = StoreBenchConfig.fromJson(args[2]);
            Map<String, Object> out = switch (args[0]) {
                case YCSB -> ycsb(kind, c);
                case CHURN -> churn(kind, c);
                default -> throw new IllegalArgumentException("unknown run '" + args[0] + "': ycsb or churn");
            };
            System.out.println(JSON.writeValueAsString(out));
            System.out.flush();
            System.exit(0);        // the collector's daemon threads need not wind down
        } catch (Throwable t) {
            t.printStackTrace();
            System.exit(1);
        }
    }

    static Map<String, Object> ycsb(StoreKind kind, StoreBenchConfig c) throws Exception {
        try (RecordDB db = kind.open(YcsbRun.sizing(c))) {
            CollectionWatch watch = null;
            OffHeapStore store = db instanceof UffdgcStoreDB u ? u.store() : null;
            if (store != null) store.collector().addListener(watch = new CollectionWatch());
            List<YcsbRun.Phase> phases = YcsbRun.run(db, c, watch, () -> store == null ? 0 : store.collector().cycles(),
                    store == null ? null : () -> store.collector().collect());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("store", kind.label());
            List<Map<String, Object>> ps = new ArrayList<>();
            for (YcsbRun.Phase p : phases) ps.add(p.toJson());
            m.put("phases", ps);
            if (store != null) m.put("store_stats_end", stats(store));
            return m;
        }
    }

    static Map<String, Object> churn(StoreKind kind, StoreBenchConfig c) throws Exception {
        long baseline = ProcStatus.read().vmRssKib() << 10;
        try (RecordDB db = kind.open(ChurnRun.sizing(c))) {
            OffHeapStore store = db instanceof UffdgcStoreDB u ? u.store() : null;
            ChurnRun.StoreFigures figures = store == null ? null : new ChurnRun.StoreFigures() {
                @Override public long residentBytes() { return store.stats().residentBytes(); }

                @Override public long liveBytes() { return store.stats().liveBytes(); }
            };
            ChurnRun.Result r = ChurnRun.run(db, c, baseline, figures);
            ChurnRun.Sample end = r.end();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("store", kind.label());
            m.put("ops", r.ops());
            m.put("removes", r.removes());
            m.put("seconds", r.seconds());
            m.put("ops_per_s", r.ops() / r.seconds());
            m.put("update_us", Latencies.of(r.put()));
            m.put("baseline_rss_bytes", r.baselineRssBytes());
            m.put("process_rss_bytes_end", r.processRssEndBytes());
            m.put("resident_bytes_end", end.residentBytes());
            m.put("live_bytes_end", end.liveBytes());
            m.put("rss_over_live_end", end.rssOverLive());
            m.put("rss_over_live_max", r.rssOverLiveMax());
            List<List<Number>> samples = new ArrayList<>();
            for (ChurnRun.Sample s : r.samples())
                samples.add(List.of(s.ops(), s.seconds(), s.residentBytes(), s.liveBytes(), s.storeResidentBytes(), s.storeLiveBytes()));
            m.put("samples", samples);
            if (store != null) {
                m.put("store_stats_end", stats(store));
                // After the figures: a heap that does not verify fails the run, never reports.
                m.put("verified", HeapVerifier.verify(store.heap()).toString());
            }
            return m;
        }
    }

    private static Map<String, Object> stats(OffHeapStore store) {
        StoreStats s = store.stats();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("entries", s.entries());
        m.put("data_bytes", s.dataBytes());
        m.put("live_bytes", s.liveBytes());
        m.put("heap_used_bytes", s.heapUsedBytes());
        m.put("resident_bytes", s.residentBytes());
        m.put("collections", s.collections());
        m.put("last_pause_ms", s.lastPauseNanos() / 1e6);
        return m;
    }
}
