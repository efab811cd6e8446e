package io.uffdgc.bench.peers;

import io.uffdgc.bench.workload.ObjectMix;
import io.uffdgc.bench.workload.SurvivalPattern;
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
                           int mutators, int temporaries, double warmupSeconds, double seconds, long seed) {
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
                Long.parseLong(need(kv, "seed")));
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
        return m;
    }
}
