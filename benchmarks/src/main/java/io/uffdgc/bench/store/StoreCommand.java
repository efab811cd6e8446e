package io.uffdgc.bench.store;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.uffdgc.bench.child.ChildProcess;
import io.uffdgc.bench.report.ResultFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * scripts/bench store: this project's store against Chronicle Map, OHC and an on-heap
 * ConcurrentHashMap, in one run. Per store, two child JVMs one after the other: YCSB (load, then
 * the core workloads through the store's site.ycsb.DB binding) and the churn (so its resident
 * memory is the churn's alone). Prints the tables and the targets, writes JSON and a PNG.
 */
@Command(name = "store", mixinStandardHelpOptions = true,
        description = {"YCSB (CoreWorkload A, B, C, F, D) and a churn of value sizes against uffdgc-store, Chronicle Map, "
                + "OHC and an on-heap ConcurrentHashMap, each store in child JVMs of its own: throughput, read and update "
                + "latency, resident memory over live data."})
public final class StoreCommand implements Callable<Integer> {
    static final String LATENCY_MEASURE = "nanoTime around each binding call, HdrHistogram, reported in us; YCSB's closed "
            + "loop (each client thread issues its next operation when the last returns, no target rate), so the figures "
            + "are as measured, not corrected for coordinated omission";
    static final String RESIDENT_MEASURE = "the child's VmRSS less its VmRSS before the store was created (Java heap of the "
            + "off-heap stores' children fixed at " + StoreKind.OFF_HEAP_JAVA_HEAP + " and touched before that baseline); "
            + "live = key and value bytes the churn keeps; end = the last sample, after " + ChurnRun.SETTLE_SECONDS
            + " s idle";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--quick", description = "a small run, under 2 minutes (fewer records, operations and churn)")
    boolean quick;
    @Option(names = "--records", description = "YCSB records loaded (default 100000; --quick 20000)")
    Long records;
    @Option(names = "--operations", description = "YCSB operations per workload (default 1000000; --quick 100000)")
    Long operations;
    @Option(names = "--threads", description = "YCSB client threads (default ${DEFAULT-VALUE})", defaultValue = "1")
    int threads;
    @Option(names = "--workloads", split = ",", description = "YCSB workloads in order (default ${DEFAULT-VALUE})",
            defaultValue = "a,b,c,f,d")
    List<String> workloads;
    @Option(names = "--churn-keys", description = "keys the churn keeps live (default 100000; --quick 30000)")
    Integer churnKeys;
    @Option(names = "--churn-ops", description = "churn operations (default 2000000; --quick 300000)")
    Long churnOps;
    @Option(names = "--seed", description = "churn seed (default ${DEFAULT-VALUE})", defaultValue = "42")
    long seed;
    @Option(names = "--repeat", description = "YCSB runs per store, in a rotating store order; with 2 or more the "
            + "throughput targets compare paired runs, with a 95%% interval (6 give a full 95%% one; the churn runs once) "
            + "(default ${DEFAULT-VALUE})", defaultValue = "1")
    int repeat;
    @Option(names = "--collect-every-ms", description = "uffdgc-store only: after the workloads, each but D once more "
            + "(\"A+gc\", ...) while a collection is requested this often (one runs first, before the phase), for "
            + "read latency during collections; 0 = none (default ${DEFAULT-VALUE})", defaultValue = "250")
    long collectEveryMillis;
    @Option(names = "--stores", paramLabel = "<store>", split = ",", converter = StoreKind.Converter.class,
            completionCandidates = StoreKind.Converter.class, defaultValue = "uffdgc-store,chronicle-map,ohc,chm-on-heap",
            description = "comma separated: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE})")
    List<StoreKind> stores;
    @Option(names = "--out", description = "result JSON (default ${DEFAULT-VALUE}); the PNG goes beside it",
            defaultValue = "results/store.json")
    Path out;

    StoreBenchConfig config() {
        return new StoreBenchConfig(records != null ? records : quick ? 20_000 : 100_000,
                operations != null ? operations : quick ? 100_000 : 1_000_000, threads, workloads,
                churnKeys != null ? churnKeys : quick ? 30_000 : 100_000,
                churnOps != null ? churnOps : quick ? 300_000 : 2_000_000, seed, collectEveryMillis);
    }

    @Override
    public Integer call() throws Exception {
        StoreBenchConfig c = config();
        Duration timeout = Duration.ofMinutes(quick ? 3 : 20);
        System.out.printf("store benchmark: YCSB %d records, %d operations per workload (%s), client threads %d; churn %d keys, "
                        + "%d operations; each store in child JVMs of its own (hard timeout %d s each)%n", c.records(),
                c.operations(), String.join(",", c.workloads()), c.threads(), c.churnKeys(), c.churnOps(), timeout.toSeconds());
        if (repeat < 1) throw new IllegalArgumentException("--repeat " + repeat + " is not positive");
        List<Map<String, Object>> results = new ArrayList<>();
        boolean allOk = true;
        for (int rep = 1; rep <= repeat; rep++) {
            // A rotating order, so no store always runs first (a cold machine) or right after the same one.
            for (int i = 0; i < stores.size(); i++) {
                StoreKind k = stores.get((i + rep - 1) % stores.size());
                for (String run : rep == 1 ? List.of(StoreChild.YCSB, StoreChild.CHURN) : List.of(StoreChild.YCSB)) {
                    ChildProcess.Result r = ChildProcess.run(dir -> command(k, run, c), timeout);
                    allOk &= r.ok();
                    System.out.printf("  %-14s %-5s %s%s (%.0f s)%n", k.label(), run, repeat > 1 ? "run " + rep + ": " : "",
                            r.ok() ? "done" : "FAILED: " + r.failure(), r.wallSeconds());
                    for (Map<String, Object> m : entries(k, run, r)) {
                        m.put("rep", rep);
                        results.add(m);
                    }
                }
            }
        }
        System.out.println();
        StoreTable.print(System.out, results);
        List<Map<String, Object>> targets = StoreTargets.check(results);
        StoreTable.printTargets(System.out, targets);
        System.out.println("latency: " + LATENCY_MEASURE);
        System.out.println("resident: " + RESIDENT_MEASURE);
        ResultFiles.write(out, describe(c), results, Map.of("targets", targets));
        Path png = out.resolveSibling(out.getFileName().toString().replaceFirst("\\.json$", "") + ".png");
        StorePlots.write(png, results);
        System.out.println("results: " + out + ", plot: " + png);
        return allOk ? 0 : 1;
    }

    List<String> command(StoreKind k, String run, StoreBenchConfig c) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ChildProcess.thisJava());
        cmd.addAll(k.jvmFlags(run.equals(StoreChild.YCSB) ? YcsbRun.sizing(c) : ChurnRun.sizing(c)));
        cmd.addAll(ChildProcess.extraFlags());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), StoreChild.class.getName(), run, k.label(), c.toJson()));
        return cmd;
    }

    /** The child's answer as result entries: one per YCSB phase, or the churn's; one naming the failure if it failed. */
    static List<Map<String, Object>> entries(StoreKind k, String run, ChildProcess.Result r) throws Exception {
        List<Map<String, Object>> out = new ArrayList<>();
        if (!r.ok()) {
            Map<String, Object> m = head(k, run, r);
            m.put("ok", false);
            m.put("failure", r.failure());
            out.add(m);
            return out;
        }
        Map<String, Object> child = JSON.readValue(r.json(), new TypeReference<>() {});
        if (run.equals(StoreChild.CHURN)) {
            Map<String, Object> m = head(k, run, r);
            m.put("ok", true);
            child.remove("store");
            m.putAll(child);
            out.add(m);
        } else {
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> phases = (List<Map<String, Object>>) child.get("phases");
            for (Map<String, Object> p : phases) {
                Map<String, Object> m = head(k, (String) p.get("workload"), r);
                m.put("ok", true);
                m.putAll(p);
                out.add(m);
            }
            if (child.containsKey("store_stats_end")) out.getLast().put("store_stats_end", child.get("store_stats_end"));
        }
        return out;
    }

    private static Map<String, Object> head(StoreKind k, String workload, ChildProcess.Result r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("store", k.label());
        m.put("workload", workload);
        m.put("jvm", k.jvmNote());
        m.put("child_wall_seconds", r.wallSeconds());
        return m;
    }

    private Map<String, Object> describe(StoreBenchConfig c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("quick", quick);
        m.put("ycsb", "site.ycsb:core 0.17.0 CoreWorkload; load then workloads " + c.workloads() + " in order on the same data");
        m.put("records", c.records());
        m.put("operations_per_workload", c.operations());
        m.put("threads", c.threads());
        m.put("field_count", YcsbRun.FIELD_COUNT);
        m.put("field_length", YcsbRun.FIELD_LENGTH);
        m.put("record_bytes_stored", YcsbRun.RECORD_BYTES);
        m.put("churn_keys", c.churnKeys());
        m.put("churn_ops", c.churnOps());
        m.put("churn", "per operation: a put of a new log-uniform size to a random live key, after deleting it and "
                + "taking a new key for the slot half of the time; value sizes log-uniform in [" + ChurnRun.MIN_VALUE + ", "
                + ChurnRun.MAX_VALUE + ") bytes");
        m.put("seed", c.seed());
        m.put("collect_every_ms", c.collectEveryMillis());
        m.put("repeat", repeat);
        m.put("stores", stores.stream().map(StoreKind::label).toList());
        Map<String, Object> flags = new LinkedHashMap<>();
        for (StoreKind k : stores) flags.put(k.label(), k.jvmFlags(YcsbRun.sizing(c)));
        m.put("child_jvm_flags_ycsb", flags);
        m.put("latency_measure", LATENCY_MEASURE);
        m.put("resident_measure", RESIDENT_MEASURE);
        m.put("during_collection", "a read met a collection if a cycle ran at any time between its start and end "
                + "(CollectionWatch: from concurrent marking's start to the cycle's end)");
        return m;
    }
}
