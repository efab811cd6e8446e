package io.uffdgc.bench.peers;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The terminal table of a peers run, and the ratios against uffdgc-move that go into
 * it and into the JSON. A ratio is peer over uffdgc-move: above 1 means the peer's
 * pause, throughput or memory is that many times ours.
 */
final class PeersTable {
    private PeersTable() {}

    static void print(PrintStream out, List<ChildJvm.Outcome> outcomes) {
        PeerFigures ours = reference(outcomes);
        out.printf("%-12s %10s %10s %7s %12s %10s %10s %9s %9s | %8s %8s %8s %8s%n", "collector", "pause max",
                "pause p99", "pauses", "ops/s", "op p99.9", "op max", "VmHWM", "RSS mean", "max/ours", "p99/ours",
                "ops/ours", "HWM/ours");
        for (ChildJvm.Outcome o : outcomes) {
            if (!o.ok()) {
                out.printf("%-12s FAILED: %s%n", o.peer().label(), o.failure().replace('\n', ' '));
                continue;
            }
            PeerFigures f = o.figures();
            Map<String, Double> r = ratios(f, ours);
            out.printf("%-12s %7.2f ms %7.2f ms %7d %12.0f %7.0f us %7.1f ms %5d MiB %5d MiB | %8s %8s %8s %8s%n",
                    o.peer().label(), f.pauses().maxMs(), f.pauses().p99Ms(), f.pauses().count(), f.opsPerSecond(),
                    f.opLatencyUs().p999(), f.opLatencyUs().max() / 1e3, f.vmHwmKib() >> 10, f.vmRssKib() >> 10,
                    fmt(r.get("pause_max")), fmt(r.get("pause_p99")), fmt(r.get("ops_per_s")), fmt(r.get("vm_hwm")));
        }
    }

    /** uffdgc-move's figures, or null if it was not run or failed. */
    static PeerFigures reference(List<ChildJvm.Outcome> outcomes) {
        return outcomes.stream().filter(o -> o.peer() == Peer.UFFDGC_MOVE && o.ok()).map(ChildJvm.Outcome::figures)
                .findFirst().orElse(null);
    }

    /** Peer over ours for each compared figure; NaN where ours is missing or zero. */
    static Map<String, Double> ratios(PeerFigures f, PeerFigures ours) {
        Map<String, Double> r = new LinkedHashMap<>();
        r.put("pause_max", over(f.pauses().maxMs(), ours == null ? 0 : ours.pauses().maxMs()));
        r.put("pause_p99", over(f.pauses().p99Ms(), ours == null ? 0 : ours.pauses().p99Ms()));
        r.put("ops_per_s", over(f.opsPerSecond(), ours == null ? 0 : ours.opsPerSecond()));
        r.put("op_latency_max", over(f.opLatencyUs().max(), ours == null ? 0 : ours.opLatencyUs().max()));
        r.put("vm_hwm", over(f.vmHwmKib(), ours == null ? 0 : ours.vmHwmKib()));
        r.put("vm_rss", over(f.vmRssKib(), ours == null ? 0 : ours.vmRssKib()));
        return r;
    }

    private static double over(double a, double b) { return b > 0 ? a / b : Double.NaN; }

    private static String fmt(double ratio) { return Double.isNaN(ratio) ? "-" : String.format("%.2fx", ratio); }
}
