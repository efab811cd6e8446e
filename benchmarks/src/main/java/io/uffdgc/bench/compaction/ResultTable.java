package io.uffdgc.bench.compaction;

import io.uffdgc.bench.compaction.BenchConfig.RatioBasis;
import io.uffdgc.bench.report.RatioInterval;
import io.uffdgc.bench.report.Spread;
import io.uffdgc.gc.CyclePause;
import io.uffdgc.gc.CycleStats;
import io.uffdgc.gc.Mode;
import io.uffdgc.uffd.CpuTime;
import io.uffdgc.uffd.gen.ugc_gc_stats;
import java.io.PrintStream;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.HdrHistogram.Histogram;

/**
 * The terminal tables of a compaction run (times, CPU per part, MMU, corrected mutator
 * latencies), and the MOVE/COPY ratio the commit speaks of, with its interval.
 */
public final class ResultTable {
    private ResultTable() {}

    /** p50/p99/max of a histogram of nanoseconds, in microseconds; "-" when empty. */
    private static String usPercentiles(Histogram h) {
        return h.getTotalCount() == 0 ? "-" : String.format("%.1f/%.1f/%.0f", h.getValueAtPercentile(50) / 1e3,
                h.getValueAtPercentile(99) / 1e3, h.getMaxValue() / 1e3);
    }

    public static void print(PrintStream out, List<ModeSummary> modes, RatioBasis basis) {
        out.printf("%-5s %-8s %-26s %-26s %-16s %-24s %-24s %-7s %-11s %-28s %-15s%n", "mode", "verified",
                "compaction ms med [min-max]", "compaction CPU ms (u/s)", "pause ms med/max",
                "fault stall us p50/p99/max", "at thread us p50/p99/max", "faults", "mut. ops/s", "pages moved/copied/zero/fresh", "RSS MiB bef->aft");
        for (ModeSummary m : modes) {
            if (!m.verified()) {
                out.printf("%-5s %-8s %s%n", m.mode(), "FAILED", String.join("; ", m.failures()));
                continue;
            }
            Spread c = m.compactionMillis(), p = m.pauseMillis();
            Histogram f = m.faultStallNanos(), probed = m.faultStallAtThreadNanos();
            double[] cpu = m.cpuMillis(x -> x.compaction(m.mode()));
            out.printf("%-5s %-8s %-26s %-26s %-16s %-24s %-24s %-7d %-11s %-28s %-15s%n", m.mode(), "yes",
                    String.format("%.1f [%.1f-%.1f]", c.median(), c.min(), c.max()),
                    String.format("%.1f (%.0f/%.0f)", m.compactionCpuMillis().median(), cpu[0], cpu[1]),
                    String.format("%.2f/%.2f", p.median(), p.max()),
                    usPercentiles(f), usPercentiles(probed),
                    (long) m.stat(s -> s.faults().served()).median(),
                    m.mode().concurrent() ? String.format("%.0f", m.windowOpsPerSecond().median()) : "-",
                    String.format("%d/%d/%d/%d", (long) m.stat(s -> s.pages().moved()).median(),
                            (long) m.stat(s -> s.pages().copied()).median(),
                            (long) m.stat(s -> s.pages().zeroed()).median(),
                            (long) m.stat(s -> s.pages().fresh()).median()),
                    String.format("%d->%d", (long) m.stat(s -> s.memory().heapResidentBefore()).median() >> 20,
                            (long) m.stat(s -> s.memory().heapResidentAfter()).median() >> 20));
        }
        List<ModeSummary> ok = modes.stream().filter(ModeSummary::verified).toList();
        if (ok.isEmpty()) return;
        out.println();
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
            b.append(String.format("; mark %.1f, plan %.1f, cycle %.1f", m.stat(s -> s.timings().markNanos() / 1e6).median(),
                    m.stat(s -> s.timings().planNanos() / 1e6).median(), m.stat(s -> s.timings().totalNanos() / 1e6).median()));
            out.println(b);
        }
        out.println("flip pause by part, measured in the engine (ms median/max); roots the pause forwarded itself and root"
                + " slots computed ahead beside the mutators (medians):");
        for (ModeSummary m : ok) {
            Spread tail = m.stat(s -> s.engine().get(ugc_gc_stats::tail_plan_ns) / 1e6);
            Spread roots = m.stat(s -> s.engine().get(ugc_gc_stats::flip_roots_ns) / 1e6);
            Spread remap = m.stat(s -> s.engine().get(ugc_gc_stats::flip_remap_ns) / 1e6);
            long inPause = (long) m.stat(s -> s.engine().get(ugc_gc_stats::roots_in_pause)).median();
            long ahead = (long) m.stat(s -> s.engine().get(ugc_gc_stats::roots_ahead)).median();
            long tailKib = (long) m.stat(s -> s.engine().get(ugc_gc_stats::tail_bytes)).median() >> 10;
            long aheadKib = (long) m.stat(s -> s.engine().get(ugc_gc_stats::tail_ahead_bytes)).median() >> 10;
            out.println(String.format("  %-5s tail plan %.2f/%.2f (%d KiB; %d KiB planned beside the mutators after TAIL),"
                    + " roots %.2f/%.2f (%d in the pause, %d ahead), mremap+register %.2f/%.2f", m.mode(), tail.median(),
                    tail.max(), tailKib, aheadKib, roots.median(), roots.max(), inPause, ahead, remap.median(), remap.max()));
        }
        printBarrierCost(out, ok);
        printCpu(out, ok);
        printTlb(out, ok);
        if (ok.stream().anyMatch(m -> !m.mmu(1.0).isEmpty())) {    // mutators ran
            printMmu(out, ok);
            printLatency(out, ok);
        }
        printRatios(out, modes, basis);
    }

    /** MOVE's cost to the mutators' CPUs: TLB-shootdown IPIs while the window was open (issue 11). */
    /** Mutator throughput outside the cycle and while concurrent marking ran (the write barrier's cost). */
    private static void printBarrierCost(PrintStream out, List<ModeSummary> ok) {
        if (ok.stream().allMatch(m -> m.loadSpread(MutatorLoad.Measured::markingOpsPerSecond) == null)) return;
        out.println("mutator ops/s, all threads, median [min-max]: outside the cycle / while marking ran (barrier on);"
                + " marking/outside per repetition, median [min-max]:");
        for (ModeSummary m : ok) {
            Spread o = m.loadSpread(MutatorLoad.Measured::outsideCycleOpsPerSecond);
            Spread k = m.loadSpread(MutatorLoad.Measured::markingOpsPerSecond);
            Spread r = m.markingOverOutside();
            if (o == null || k == null || r == null) continue;
            out.printf("  %-5s %.0f [%.0f-%.0f] / %.0f [%.0f-%.0f]; %.2f [%.2f-%.2f]%n", m.mode(), o.median(), o.min(),
                    o.max(), k.median(), k.min(), k.max(), r.median(), r.min(), r.max());
        }
    }

    private static void printTlb(PrintStream out, List<ModeSummary> modes) {
        List<ModeSummary> measured = modes.stream().filter(m -> m.mode().concurrent() && m.tlbShootdowns() != null).toList();
        if (measured.isEmpty()) return;
        out.println();
        out.println("TLB-shootdown interrupts during the window (system-wide, /proc/interrupts), median [min-max]:");
        for (ModeSummary m : measured) {
            Spread t = m.tlbShootdowns();
            double perPage = m.tlbPerPageMoved();
            out.printf("%-5s %.0f [%.0f-%.0f]%s%n", m.mode(), t.median(), t.min(), t.max(),
                    Double.isNaN(perPage) ? "" : String.format(", %.2f per page moved", perPage));
        }
    }

    private static void printCpu(PrintStream out, List<ModeSummary> modes) {
        out.println();
        out.println("CPU time ms, user/system, medians (getrusage RUSAGE_THREAD per thread; wall beside):");
        out.printf("%-5s %-20s %-20s %-20s %-26s %-16s %-20s%n", "mode", "mark (wall)", "plan (wall)", "flip (wall)",
                "compactors (wall, summed)", "fault service", "finish (wall)");
        for (ModeSummary m : modes)
            out.printf("%-5s %-20s %-20s %-20s %-26s %-16s %-20s%n", m.mode(),
                    cpu(m, CycleStats.Cpu::mark, m.stat(s -> s.timings().markNanos() / 1e6).median()),
                    cpu(m, CycleStats.Cpu::plan, m.stat(s -> s.timings().planNanos() / 1e6).median()),
                    cpu(m, CycleStats.Cpu::flip, m.stat(s -> s.timings().flipNanos() / 1e6).median()),
                    cpu(m, CycleStats.Cpu::compactors, m.stat(s -> s.cpu().compactorsWallNanos() / 1e6).median()),
                    cpu(m, CycleStats.Cpu::faultService, null),
                    cpu(m, CycleStats.Cpu::finish, m.stat(s -> s.timings().finishNanos() / 1e6).median()));
    }

    private static String cpu(ModeSummary m, Function<CycleStats.Cpu, CpuTime> part, Double wall) {
        double[] us = m.cpuMillis(part);
        return String.format("%.1f/%.1f", us[0], us[1]) + (wall != null ? String.format(" (%.1f)", wall) : "");
    }

    private static void printMmu(PrintStream out, List<ModeSummary> modes) {
        out.println();
        out.println("Minimum mutator utilization, median [worst] over repetitions (from the mutators' progress"
                + " timestamps; pauses, fault stalls and descheduling count):");
        StringBuilder h = new StringBuilder(String.format("%-5s", "mode"));
        for (double w : ModeSummary.MMU_WINDOWS_MS) h.append(String.format(" %-16s", ModeSummary.windowName(w)));
        out.println(h);
        for (ModeSummary m : modes) {
            StringBuilder row = new StringBuilder(String.format("%-5s", m.mode()));
            for (double w : ModeSummary.MMU_WINDOWS_MS) {
                Spread s = m.mmuSpread(w);
                row.append(String.format(" %-16s", s == null ? "-" : String.format("%.3f [%.3f]", s.median(), s.min())));
            }
            out.println(row);
        }
    }

    private static void printLatency(PrintStream out, List<ModeSummary> modes) {
        out.println();
        out.println("Mutator operation latency during the cycle, us, corrected for coordinated omission"
                + " (HdrHistogram, expected interval = median step outside the cycle) / as measured:");
        out.printf("%-5s %-22s %-22s %-24s %-22s%n", "mode", "p50", "p99", "p99.9", "max");
        for (ModeSummary m : modes) {
            Histogram c = m.cycleOpNanosCorrected(), r = m.cycleOpNanosRaw();
            out.printf("%-5s %-22s %-22s %-24s %-22s%n", m.mode(), pair(c, r, 50), pair(c, r, 99), pair(c, r, 99.9),
                    String.format("%.0f / %.0f", c.getMaxValue() / 1e3, r.getMaxValue() / 1e3));
        }
    }

    private static String pair(Histogram corrected, Histogram raw, double p) {
        return String.format("%.1f / %.1f", corrected.getValueAtPercentile(p) / 1e3, raw.getValueAtPercentile(p) / 1e3);
    }

    private static void printRatios(PrintStream out, List<ModeSummary> modes, RatioBasis basis) {
        RatioBasis other = basis == RatioBasis.WALL ? RatioBasis.CPU : RatioBasis.WALL;
        out.println();
        Optional<RatioInterval> head = Ratios.of(modes, Mode.MOVE, Mode.COPY, basis);
        head.ifPresent(r -> out.printf("MOVE/COPY compaction %s (the headline): %s%n", what(basis), line(r, "COPY")));
        Ratios.of(modes, Mode.MOVE, Mode.COPY, other).ifPresent(r -> out.printf("MOVE/COPY compaction %s: %s%n",
                what(other), line(r, "COPY")));
        Ratios.of(modes, Mode.MOVE, Mode.STW, basis).ifPresent(r -> out.printf("MOVE/STW compaction %s: %s%n",
                what(basis), line(r, "STW")));
        if (head.isPresent())
            out.println("(" + RatioInterval.METHOD + "; pairs: repetition i of both modes, same heap)");
    }

    private static String what(RatioBasis b) { return b == RatioBasis.WALL ? "wall time" : "CPU time"; }

    static String line(RatioInterval r, String against) {
        String verdict = !r.includesOne() ? (r.hi() < 1
                ? String.format("MOVE %.0f%% less than %s; the interval excludes 1.0", 100 * (1 - r.value()), against)
                : String.format("MOVE %.0f%% more than %s; the interval excludes 1.0", 100 * (r.value() - 1), against))
                : "the interval includes 1.0: no difference shown";
        if (!r.reachesLevel())
            return String.format("%s, only a %.0f%% interval: %d paired repetitions (95%% needs 6): %s", r.brief(),
                    100 * r.coverage(), r.pairs(), verdict);
        return String.format("%s 95%% CI over %d paired repetitions (exact coverage %.1f%%): %s", r.brief(), r.pairs(),
                100 * r.coverage(), verdict);
    }

    /** Median over median with the extreme ratios (the sweep's one-repetition points). */
    static Optional<Spread> ratio(List<ModeSummary> modes, Mode a, Mode b) {
        Optional<ModeSummary> x = find(modes, a), y = find(modes, b);
        if (x.isEmpty() || y.isEmpty() || !x.get().verified() || !y.get().verified()) return Optional.empty();
        return Optional.of(x.get().compactionMillis().over(y.get().compactionMillis()));
    }

    private static Optional<ModeSummary> find(List<ModeSummary> modes, Mode m) {
        return modes.stream().filter(s -> s.mode() == m).findFirst();
    }
}
