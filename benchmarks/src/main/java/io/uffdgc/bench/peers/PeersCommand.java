package io.uffdgc.bench.peers;

import io.uffdgc.bench.WorkloadOptions;
import io.uffdgc.bench.report.Charts;
import io.uffdgc.bench.report.ResultFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * scripts/bench peers: the same object-graph workload on the Java heap under G1, ZGC
 * and Shenandoah, and on a uffdgc heap collected in MOVE mode, each in a child JVM,
 * one after the other in one run. Compares the pauses the mutators suffered,
 * throughput and resident memory; prints a table with ratios against uffdgc-move,
 * writes JSON and a PNG beside it.
 */
@Command(name = "peers", mixinStandardHelpOptions = true,
        description = {"The same object-graph workload under G1, ZGC, Shenandoah (Java heap) and uffdgc MOVE "
                + "(off-heap), each in a child JVM: pauses, throughput, resident memory, ratios against uffdgc-move.",
                "--heap is the uffdgc heap's capacity and the Java heaps' -Xms and -Xmx."})
public final class PeersCommand implements Callable<Integer> {
    static final String PAUSE_MEASURE = "Java heap: every JVM safepoint of the measured period, its 'Total' from "
            + "-Xlog:safepoint (request to release, ns). uffdgc: every heap safepoint of every cycle, CycleStats.pauses "
            + "(concurrent marking: begin, remark, tail, flip; each from the request until the mutators resume); the uffdgc child's own JVM safepoints are in "
            + "jvm_safepoints. op_latency_us: each mutator operation timed by the same clock in every world, corrected for "
            + "coordinated omission (HdrHistogram, expected interval = the median operation time as measured).";

    @Mixin
    WorkloadOptions workload = new WorkloadOptions();
    @Option(names = "--build", description = "share of the heap allocated to build the graph (default ${DEFAULT-VALUE})",
            defaultValue = "0.6")
    double build;
    @Option(names = "--seconds", description = "measured seconds of churn per collector (default ${DEFAULT-VALUE})",
            defaultValue = "20")
    double seconds;
    @Option(names = "--warmup", description = "seconds of churn before measuring (default ${DEFAULT-VALUE})",
            defaultValue = "2")
    double warmup;
    @Option(names = "--temporaries", description = "short-lived objects of the mix each replacement allocates, "
            + "0 for none (default ${DEFAULT-VALUE})", defaultValue = "16")
    int temporaries;
    @Option(names = "--collectors", paramLabel = "<collector>", split = ",", converter = Peer.Converter.class, completionCandidates = Peer.Converter.class,
            defaultValue = "g1,zgc,shenandoah,uffdgc-move",
            description = "comma separated: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE})")
    List<Peer> collectors;
    @Option(names = "--occupancy", description = "uffdgc: heap occupancy that starts a MOVE cycle (default ${DEFAULT-VALUE})",
            defaultValue = "" + UffdgcWorld.OCCUPANCY)
    double occupancy;
    @Option(names = "--policy", converter = PolicyConverter.class, defaultValue = "occupancy",
            description = "uffdgc: what starts cycles: occupancy (MOVE at --occupancy), allocation-rate (MOVE when the free heap"
                    + " would last under a second at the allocation rate), fragmentation (at --occupancy, STW, MOVE or COPY by"
                    + " the expected fragmentation) (default ${DEFAULT-VALUE})")
    PolicyChoice policy;
    @Option(names = "--compactors", description = "uffdgc: compactor threads (default ${DEFAULT-VALUE})", defaultValue = "1")
    int compactors;
    @Option(names = "--fault-threads", description = "uffdgc: native fault-service threads (default ${DEFAULT-VALUE})", defaultValue = "1")
    int faultThreads;
    @Option(names = "--run-pages", description = "uffdgc: longest run of pages one ioctl installs (default ${DEFAULT-VALUE})", defaultValue = "64")
    int runPages;
    @Option(names = "--dense-percent", description = "uffdgc: dense-prefix threshold, 0 = off (default: the engine's, 90)")
    Integer densePercent;
    @Option(names = "--huge-pages", description = "uffdgc: madvise(MADV_HUGEPAGE) heap and from-space")
    boolean hugePages;
    @Option(names = "--out", description = "result JSON (default ${DEFAULT-VALUE}); the PNG goes beside it",
            defaultValue = "results/peers.json")
    Path out;

    @Override
    public Integer call() throws Exception {
        PeerWorkload w = workload();
        List<Peer> peers = collectors;
        Duration timeout = Duration.ofSeconds((long) Math.ceil(2 * (w.seconds() + w.warmupSeconds()) + 60));
        System.out.printf("peers benchmark: heap %d MiB, live %.0f%% of %.0f%% built (%s), %d mutators, %.1f s measured "
                        + "after %.1f s warm-up, each collector in its own JVM (hard timeout %d s)%n",
                w.heapBytes() >> 20, 100 * w.live(), 100 * w.buildFraction(), w.pattern().name().toLowerCase(),
                w.mutators(), w.seconds(), w.warmupSeconds(), timeout.toSeconds());
        List<ChildJvm.Outcome> outcomes = new ArrayList<>();
        for (Peer p : peers) {
            ChildJvm.Outcome o = ChildJvm.run(p, w, timeout);
            outcomes.add(o);
            System.out.printf("  %-12s %s (%.0f s)%n", p.label(), o.ok()
                    ? String.format("%d pauses, %.0f ops/s, %d live objects, built in %.1f s", o.figures().pauses().count(),
                            o.figures().opsPerSecond(), o.figures().liveObjects(), o.figures().buildSeconds())
                    : "FAILED: " + o.failure(), o.wallSeconds());
        }
        System.out.println();
        PeersTable.print(System.out, outcomes);
        System.out.println("pauses: " + PAUSE_MEASURE);
        ResultFiles.write(out, config(w, peers), outcomes.stream().map(o -> toJson(o, outcomes)).toList());
        Path png = out.resolveSibling(out.getFileName().toString().replaceFirst("\\.json$", "") + ".png");
        plot(png, outcomes);
        System.out.println("results: " + out + ", plot: " + png);
        return outcomes.stream().allMatch(ChildJvm.Outcome::ok) ? 0 : 1;
    }

    PeerWorkload workload() {
        return new PeerWorkload(workload.heapBytes(), workload.live(), workload.pattern(), workload.mix(), build,
                workload.mutators(), temporaries, warmup, seconds, workload.seed(),
                new PeerWorkload.UffdgcTuning(occupancy, compactors, faultThreads, runPages,
                        densePercent != null ? densePercent : PeerWorkload.UffdgcTuning.DEFAULT.densePercent(), hugePages,
                        policy));
    }

    private static Map<String, Object> config(PeerWorkload w, List<Peer> peers) {
        Map<String, Object> c = new LinkedHashMap<>(w.describe());
        c.put("collectors", peers.stream().map(Peer::label).toList());
        Map<String, Object> flags = new LinkedHashMap<>();
        for (Peer p : peers) flags.put(p.label(), p.jvmFlags(w));
        c.put("child_jvm_flags", flags);
        c.put("uffdgc_policy_detail", w.uffdgc().policy().policy(w.uffdgc().occupancy()).toString());
        c.put("marking", "uffdgc: " + io.uffdgc.gc.CollectorConfig.defaults().marking().name().toLowerCase()
                + " (CollectorConfig's default, as UffdgcWorld runs it); the JVM collectors': their own");
        c.put("operations", "70% read (walk <= 15 links of a chain, read a word), 20% write (walk, write a word), "
                + "10% replace (walk, swap the successor for a new record of its shape, allocate the temporaries)");
        c.put("pause_measure", PAUSE_MEASURE);
        return c;
    }

    private static Map<String, Object> toJson(ChildJvm.Outcome o, List<ChildJvm.Outcome> all) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("collector", o.peer().label());
        m.put("ok", o.ok());
        m.put("failure", o.failure());
        m.put("wall_seconds", o.wallSeconds());
        if (o.ok()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> figures = PeerFigures.JSON.convertValue(o.figures(), Map.class);
            m.putAll(figures);
            Map<String, Double> r = PeersTable.ratios(o.figures(), PeersTable.reference(all));
            r.replaceAll((k, v) -> v.isNaN() ? null : v);
            m.put("vs_uffdgc_move", r);
        }
        return m;
    }

    private static final double LOG_FLOOR_MS = 0.01;

    /** Alternating names and values, in that order (the bars' order). */
    private static Map<String, Double> ordered(Object... kv) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], (Double) kv[i + 1]);
        return m;
    }

    private static void plot(Path png, List<ChildJvm.Outcome> outcomes) throws IOException {
        Map<String, Map<String, Double>> pauses = new LinkedHashMap<>(), ops = new LinkedHashMap<>(),
                memory = new LinkedHashMap<>();
        for (ChildJvm.Outcome o : outcomes) {
            if (!o.ok()) continue;
            PeerFigures f = o.figures();
            pauses.put(o.peer().label(), ordered("p50", f.pauses().p50Ms(), "p99", f.pauses().p99Ms(),
                    "max", f.pauses().maxMs()));
            ops.put(o.peer().label(), ordered("ops/s", f.opsPerSecond()));
            memory.put(o.peer().label(), ordered("VmHWM", f.vmHwmKib() / 1024.0, "VmRSS mean", f.vmRssKib() / 1024.0,
                    "VmRSS max", f.vmRssMaxKib() / 1024.0));
        }
        Charts.writePng(png, 520, 420,
                Charts.groupedBars("Pauses (log scale)", "ms", pauses, true, LOG_FLOOR_MS),
                Charts.groupedBars("Application throughput", "operations/s", ops, false, 0),
                Charts.groupedBars("Resident memory of the child JVM", "MiB", memory, false, 0));
    }

    /** --policy's names (picocli). */
    static final class PolicyConverter implements picocli.CommandLine.ITypeConverter<PolicyChoice> {
        @Override public PolicyChoice convert(String value) { return PolicyChoice.parse(value); }
    }
}
