package io.uffdgc.bench.peers;

import io.uffdgc.bench.workload.ObjectMix;
import io.uffdgc.bench.workload.SurvivalPattern;
import io.uffdgc.gc.CollectorConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What every child runs, whichever world it is in: a graph built to {@code buildFraction}
 * of the heap in allocated bytes, then {@code mutators} threads churning it for
 * {@code warmupSeconds} (not measured) and {@code seconds} (measured). Travels to the
 * child as {@code --key=value} arguments, so a child can be started by hand too.
 */
public record PeerWorkload(long heapBytes, double live, SurvivalPattern pattern, ObjectMix mix, double buildFraction,
                           int mutators, int temporaries, double warmupSeconds, double seconds, long seed,
                           UffdgcTuning uffdgc) {
    /**
     * The uffdgc child's collector (the Java heaps' collectors take their JVM defaults).
     *
     * @param occupancy        heap occupancy at which the policy starts a MOVE cycle
     * @param compactorThreads compactor threads per window
     * @param faultThreads     native fault-service threads
     * @param runPages         longest run of pages one ioctl installs
     * @param densePercent     live percentage from which a page of the heap's bottom stays in place (0 = off)
     * @param hugePages        madvise(MADV_HUGEPAGE) heap and from-space
     * @param policy           what starts the child's cycles (occupancy uses the threshold above, and so does
     *                         fragmentation)
     */
    public record UffdgcTuning(double occupancy, int compactorThreads, int faultThreads, int runPages, int densePercent,
                               boolean hugePages, PolicyChoice policy) {
        public static final UffdgcTuning DEFAULT = new UffdgcTuning(UffdgcWorld.OCCUPANCY, 1, 1, 64,
                CollectorConfig.DEFAULT_DENSE_PERCENT, false, PolicyChoice.OCCUPANCY);

        public UffdgcTuning {
            if (!(occupancy > 0 && occupancy < 1))
                throw new IllegalArgumentException("occupancy " + occupancy + " is not in (0, 1)");
            if (policy == null) throw new IllegalArgumentException("policy must not be null");
        }
    }

    public PeerWorkload {
        if (heapBytes < (16L << 20)) throw new IllegalArgumentException("heap " + heapBytes + " bytes is below 16 MiB");
        if (!(live > 0 && live <= 1)) throw new IllegalArgumentException("live fraction " + live + " is not in (0, 1]");
        if (!(buildFraction > 0 && buildFraction < 1))
            throw new IllegalArgumentException("build fraction " + buildFraction + " is not in (0, 1)");
        if (mutators < 1 || mutators > 64) throw new IllegalArgumentException("mutators " + mutators + " is not in 1..64");
        if (temporaries < 0 || temporaries > 4096)
            throw new IllegalArgumentException("temporaries " + temporaries + " is not in 0..4096");
        if (!(warmupSeconds >= 0)) throw new IllegalArgumentException("warm-up " + warmupSeconds + " s is negative");
        if (!(seconds > 0)) throw new IllegalArgumentException("measured time " + seconds + " s is not positive");
        if (uffdgc == null) throw new IllegalArgumentException("no uffdgc tuning");
    }

    /** Bytes of allocation (live and dead) the graph is built from. */
    public long buildBytes() { return (long) (buildFraction * heapBytes); }

    public List<String> toArgs() {
        List<String> a = new ArrayList<>();
        describe().forEach((k, v) -> a.add("--" + k + "=" + v));
        return a;
    }

    /** The inverse of {@link #toArgs()}; every key is required. */
    public static PeerWorkload fromArgs(List<String> args) {
        Map<String, String> kv = new LinkedHashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            if (!a.startsWith("--") || eq < 0) throw new IllegalArgumentException("expected --key=value, got '" + a + "'");
            kv.put(a.substring(2, eq), a.substring(eq + 1));
        }
        return new PeerWorkload(Long.parseLong(need(kv, "heap_bytes")), Double.parseDouble(need(kv, "live")),
                SurvivalPattern.valueOf(need(kv, "pattern").toUpperCase()), ObjectMix.parse(need(kv, "mix")),
                Double.parseDouble(need(kv, "build_fraction")), Integer.parseInt(need(kv, "mutators")),
                Integer.parseInt(need(kv, "temporaries")), Double.parseDouble(need(kv, "warmup_seconds")), Double.parseDouble(need(kv, "seconds")),
                Long.parseLong(need(kv, "seed")), new UffdgcTuning(Double.parseDouble(need(kv, "uffdgc_occupancy")),
                Integer.parseInt(need(kv, "uffdgc_compactor_threads")), Integer.parseInt(need(kv, "uffdgc_fault_threads")),
                Integer.parseInt(need(kv, "uffdgc_run_pages")), Integer.parseInt(need(kv, "uffdgc_dense_percent")),
                Boolean.parseBoolean(need(kv, "uffdgc_huge_pages")), PolicyChoice.parse(need(kv, "uffdgc_policy"))));
    }

    private static String need(Map<String, String> kv, String key) {
        String v = kv.get(key);
        if (v == null) throw new IllegalArgumentException("missing --" + key + "=...");
        return v;
    }

    /** The configuration as it goes into the result file and to the child. */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("heap_bytes", heapBytes);
        m.put("live", live);
        m.put("pattern", pattern.name().toLowerCase());
        m.put("mix", "records=" + mix.recordShare() + ",refarrays=" + mix.refArrayShare() + ",bytearrays="
                + mix.byteArrayShare());
        m.put("build_fraction", buildFraction);
        m.put("mutators", mutators);
        m.put("temporaries", temporaries);
        m.put("warmup_seconds", warmupSeconds);
        m.put("seconds", seconds);
        m.put("seed", seed);
        m.put("uffdgc_occupancy", uffdgc.occupancy());
        m.put("uffdgc_compactor_threads", uffdgc.compactorThreads());
        m.put("uffdgc_fault_threads", uffdgc.faultThreads());
        m.put("uffdgc_run_pages", uffdgc.runPages());
        m.put("uffdgc_dense_percent", uffdgc.densePercent());
        m.put("uffdgc_huge_pages", uffdgc.hugePages());
        m.put("uffdgc_policy", uffdgc.policy().label());
        return m;
    }
}
