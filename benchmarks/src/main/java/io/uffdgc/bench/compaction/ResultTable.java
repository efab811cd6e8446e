package io.uffdgc.bench.compaction;

import io.uffdgc.bench.report.Spread;
import io.uffdgc.gc.CyclePause;
import io.uffdgc.gc.CycleStats;
import io.uffdgc.gc.Mode;
import java.io.PrintStream;
import java.util.List;
import java.util.Optional;
import org.HdrHistogram.Histogram;

/** The terminal table of a compaction run, and the MOVE/COPY ratio the commit speaks of. */
final class ResultTable {
    private ResultTable() {}

    static void print(PrintStream out, List<ModeSummary> modes) {
        out.printf("%-5s %-8s %-26s %-16s %-24s %-7s %-11s %-28s %-15s%n", "mode", "verified",
                "compaction ms med [min-max]", "pause ms med/max", "fault stall us p50/p99/max", "faults",
                "mut. ops/s", "pages moved/copied/zero/fresh", "RSS MiB bef->aft");
        for (ModeSummary m : modes) {
            if (!m.verified()) {
                out.printf("%-5s %-8s %s%n", m.mode(), "FAILED", String.join("; ", m.failures()));
                continue;
            }
            Spread c = m.compactionMillis(), p = m.pauseMillis();
            Histogram f = m.faultStallNanos();
            out.printf("%-5s %-8s %-26s %-16s %-24s %-7d %-11s %-28s %-15s%n", m.mode(), "yes",
                    String.format("%.1f [%.1f-%.1f]", c.median(), c.min(), c.max()),
                    String.format("%.2f/%.2f", p.median(), p.max()),
                    f.getTotalCount() == 0 ? "-" : String.format("%.1f/%.1f/%.0f", f.getValueAtPercentile(50) / 1e3,
                            f.getValueAtPercentile(99) / 1e3, f.getMaxValue() / 1e3),
                    (long) m.stat(s -> s.faults().served()).median(),
                    m.mode().concurrent() ? String.format("%.0f", m.windowOpsPerSecond().median()) : "-",
                    String.format("%d/%d/%d/%d", (long) m.stat(s -> s.pages().moved()).median(),
                            (long) m.stat(s -> s.pages().copied()).median(),
                            (long) m.stat(s -> s.pages().zeroed()).median(),
                            (long) m.stat(s -> s.pages().fresh()).median()),
                    String.format("%d->%d", (long) m.stat(s -> s.memory().heapResidentBefore()).median() >> 20,
                            (long) m.stat(s -> s.memory().heapResidentAfter()).median() >> 20));
        }
        out.println("pauses (every single one; ms median/max, [of that, time to safepoint median/max]); marking and"
                + " planning (ms median; concurrent unless --marking stw):");
        for (ModeSummary m : modes) {
            if (!m.verified()) continue;
            StringBuilder b = new StringBuilder(String.format("  %-5s", m.mode()));
            for (CyclePause.Kind k : CyclePause.Kind.values()) {
                List<Double> v = m.pausesMillis(k);
                if (v.isEmpty()) continue;
                Spread s = Spread.of(v), t = Spread.of(m.timeToSafepointMillis(k));
                b.append(String.format(" %s %.2f/%.2f [%.2f/%.2f]", k.name().toLowerCase(), s.median(), s.max(),
                        t.median(), t.max()));
            }
            b.append(String.format("; mark %.1f, plan %.1f", m.stat(s -> s.timings().markNanos() / 1e6).median(),
                    m.stat(s -> s.timings().planNanos() / 1e6).median()));
            b.append(String.format("; mutator ops/s outside the cycle %.0f, while marking %.0f",
                    m.outsideOpsPerSecond().median(), m.markingOpsPerSecond().median()));
            out.println(b);
        }
        ratio(modes, Mode.MOVE, Mode.COPY).ifPresent(r -> out.printf(
                "MOVE/COPY compaction time: %.2f (range %.2f-%.2f over %d repetitions): MOVE %s%n", r.median(),
                r.min(), r.max(), r.count(), r.median() < 1
                        ? String.format("%.0f%% less time than COPY", 100 * (1 - r.median()))
                        : String.format("%.0f%% more time than COPY", 100 * (r.median() - 1))));
        ratio(modes, Mode.MOVE, Mode.STW).ifPresent(r -> out.printf(
                "MOVE/STW compaction time: %.2f (range %.2f-%.2f)%n", r.median(), r.min(), r.max()));
    }

    static Optional<Spread> ratio(List<ModeSummary> modes, Mode a, Mode b) {
        Optional<ModeSummary> x = find(modes, a), y = find(modes, b);
        if (x.isEmpty() || y.isEmpty() || !x.get().verified() || !y.get().verified()) return Optional.empty();
        return Optional.of(x.get().compactionMillis().over(y.get().compactionMillis()));
    }

    private static Optional<ModeSummary> find(List<ModeSummary> modes, Mode m) {
        return modes.stream().filter(s -> s.mode() == m).findFirst();
    }
}
