package io.uffdgc.bench.compaction;

import io.uffdgc.bench.compaction.MutatorLoad.Measured;
import io.uffdgc.bench.report.Mmu;
import io.uffdgc.bench.report.Spread;
import io.uffdgc.gc.CyclePause;
import io.uffdgc.gc.CycleStats;
import io.uffdgc.gc.Mode;
import io.uffdgc.uffd.CpuTime;
import java.util.ArrayList;
import java.util.function.Function;
import io.uffdgc.uffd.gen.ugc_gc_stats;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.HdrHistogram.Histogram;

/**
 * All repetitions of one mode, reduced to what the table, the JSON file and the
 * plots show. Failed samples make the mode fail: its times are not reported.
 */
public record ModeSummary(Mode mode, List<Sample> samples) {

    public boolean verified() { return samples.stream().allMatch(Sample::verified); }

    public List<String> failures() {
        return samples.stream().filter(s -> !s.verified()).map(s -> "rep " + (s.repetition() + 1) + ": " + s.failure()).toList();
    }

    public Spread compactionMillis() { return spread(Sample::compactionMillis); }

    /** Every single pause of every repetition (concurrent marking: begin, remark and flip each count), in ms. */
    public List<Double> allPausesMillis() {
        return samples.stream().flatMap(s -> s.stats().pauses().stream()).map(p -> p.nanos() / 1e6).toList();
    }

    /** Median, p99 and max over {@link #allPausesMillis}. */
    public Spread pauseMillis() { return Spread.of(allPausesMillis()); }

    /** How long the pauses of one kind waited for the mutators to stop, in ms. */
    public List<Double> timeToSafepointMillis(CyclePause.Kind kind) {
        return samples.stream().flatMap(s -> s.stats().pauses().stream()).filter(p -> p.kind() == kind)
                .map(p -> p.timeToSafepointNanos() / 1e6).toList();
    }

    /** The pauses of one kind, every repetition, in ms (empty if the cycles had none of that kind). */
    public List<Double> pausesMillis(CyclePause.Kind kind) {
        return samples.stream().flatMap(s -> s.stats().pauses().stream()).filter(p -> p.kind() == kind)
                .map(p -> p.nanos() / 1e6).toList();
    }

    public Spread compactionCpuMillis() { return spread(Sample::compactionCpuMillis); }

    /** Median over the repetitions of one part's CPU time, user and system apart (ms). */
    public double[] cpuMillis(Function<CycleStats.Cpu, CpuTime> part) {
        return new double[] {stat(s -> part.apply(s.cpu()).userNanos() / 1e6).median(),
                stat(s -> part.apply(s.cpu()).systemNanos() / 1e6).median()};
    }

    /**
     * The windows the MMU is reported at in the table and the JSON file, ms: 1, 10 and 100 ms
     * as GC papers report it, and 1 s, which a pause of hundreds of ms still leaves above zero.
     */
    public static final List<Double> MMU_WINDOWS_MS = List.of(1.0, 10.0, 100.0, 1000.0);
    /** The windows of the MMU curve (the plot), ms. */
    public static final List<Double> MMU_CURVE_MS = List.of(0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0,
            200.0, 500.0, 1000.0, 2000.0, 5000.0);

    /**
     * The MMU at window w (ms) of each repetition (NaN for a window longer than the run);
     * empty without mutators.
     */
    public List<Double> mmu(double windowMs) {
        List<Double> v = new ArrayList<>();
        for (Sample s : samples) {
            Mmu m = s.load().mmu();
            if (m != null) v.add(m.at(Math.round(windowMs * 1e6)));
        }
        return v;
    }

    /** Median and minimum over the repetitions of the MMU at window w (ms); null when no run was that long. */
    public Spread mmuSpread(double windowMs) {
        List<Double> v = mmu(windowMs).stream().filter(x -> !x.isNaN()).toList();
        return v.isEmpty() ? null : Spread.of(v);
    }

    /** The cycle's mutator operation latencies (ns), all repetitions, each corrected for coordinated omission. */
    public Histogram cycleOpNanosCorrected() {
        Histogram h = new Histogram(3);
        for (Sample s : samples) h.add(s.load().cycleLatencyCorrected());
        return h;
    }

    /** The same as measured, uncorrected. */
    public Histogram cycleOpNanosRaw() {
        Histogram h = new Histogram(3);
        for (Sample s : samples) h.add(s.load().cycleSteps());
        return h;
    }

    public Spread windowOpsPerSecond() { return spread(Sample::windowOpsPerSecond); }

    /** TLB-shootdown interrupts over the window, system-wide (TlbShootdowns); null where not measured. */
    public Spread tlbShootdowns() {
        if (samples.isEmpty() || samples.stream().anyMatch(s -> s.tlbShootdowns() < 0)) return null;
        return spread(s -> (double) s.tlbShootdowns());
    }

    /** Median over repetitions of shootdowns per page moved (NaN when no page was moved). */
    public double tlbPerPageMoved() {
        List<Double> r = samples.stream().filter(s -> s.tlbShootdowns() >= 0 && s.stats().pages().moved() > 0)
                .map(s -> (double) s.tlbShootdowns() / s.stats().pages().moved()).toList();
        return r.isEmpty() ? Double.NaN : Spread.of(r).median();
    }

    public Spread stat(ToDoubleFunction<CycleStats> f) { return spread(s -> f.applyAsDouble(s.stats())); }

    /** Fault service time (ns) of every fault of every repetition. */
    public Histogram faultStallNanos() {
        Histogram h = new Histogram(3);
        for (Sample s : samples) h.add(s.stats().faults().serviceNanos());
        return h;
    }

    /** The fault probe's stalls (ns), as the faulting thread saw them, all repetitions (FaultProbe). */
    public Histogram faultStallAtThreadNanos() {
        Histogram h = new Histogram(3);
        for (Sample s : samples) h.add(s.load().faultStalls());
        return h;
    }

    /** Mutator operation latency (ns) while the window was open, all repetitions. */
    public Histogram windowOpNanos() {
        Histogram h = new Histogram(3);
        for (Sample s : samples) h.add(s.load().windowLatency());
        return h;
    }

    /** Over the repetitions that measured it, a mutator throughput figure; null if none did. */
    Spread loadSpread(ToDoubleFunction<Measured> f) {
        List<Double> v = samples.stream().map(s -> f.applyAsDouble(s.load())).filter(x -> !x.isNaN()).toList();
        return v.isEmpty() ? null : Spread.of(v);
    }

    /** Per repetition, throughput while marking ran over throughput outside the cycle (the barrier's cost); null if none. */
    Spread markingOverOutside() {
        List<Double> v = samples.stream().map(s -> s.load().markingOpsPerSecond() / s.load().outsideCycleOpsPerSecond())
                .filter(x -> !x.isNaN() && !x.isInfinite()).toList();
        return v.isEmpty() ? null : Spread.of(v);
    }

    private static Map<String, Object> spreadJson(Spread s) {
        return Map.of("median", s.median(), "min", s.min(), "max", s.max());
    }

    private Spread spread(ToDoubleFunction<Sample> f) {
        return Spread.of(samples.stream().map(f::applyAsDouble).toList());
    }

    /** The result file's entry for this mode; the names of the first fields are kept stable. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mode", mode.name().toLowerCase());
        m.put("verified", verified());
        if (!verified()) {
            m.put("failures", failures());
            return m;
        }
        Spread c = compactionMillis(), p = pauseMillis();
        m.put("compaction_ms", Map.of("median", c.median(), "min", c.min(), "max", c.max()));
        Spread cc = compactionCpuMillis();
        m.put("compaction_cpu_ms", Map.of("median", cc.median(), "min", cc.min(), "max", cc.max()));
        m.put("cpu_ms", cpuJson());
        Map<String, Object> mmu = new LinkedHashMap<>(), mmuMin = new LinkedHashMap<>();
        for (double w : MMU_WINDOWS_MS) {
            Spread sp = mmuSpread(w);
            mmu.put(windowName(w), sp == null ? null : sp.median());
            mmuMin.put(windowName(w), sp == null ? null : sp.min());
        }
        m.put("mmu", mmu);
        m.put("mmu_min", mmuMin);
        List<Map<String, Object>> curve = new ArrayList<>();
        for (double w : MMU_CURVE_MS) {
            Spread sp = mmuSpread(w);
            if (sp != null) curve.add(Map.of("window_ms", w, "median", sp.median(), "min", sp.min()));
        }
        m.put("mmu_curve", curve);
        Map<String, Object> lat = new LinkedHashMap<>();
        lat.put("corrected", percentiles(cycleOpNanosCorrected()));
        lat.put("as_measured", percentiles(cycleOpNanosRaw()));
        lat.put("expected_interval_ns", samples.stream().map(s -> s.load().expectedIntervalNanos()).toList());
        m.put("mutator_op_latency_in_cycle_us", lat);
        List<Double> all = allPausesMillis();
        m.put("pause_ms", Map.of("median", p.median(), "p99", percentile(all, 99), "max", p.max(), "count", all.size()));
        Map<String, Object> kinds = new LinkedHashMap<>();
        for (CyclePause.Kind k : CyclePause.Kind.values()) {
            List<Double> v = pausesMillis(k);
            if (v.isEmpty()) continue;
            Spread sk = Spread.of(v), ttsp = Spread.of(timeToSafepointMillis(k));
            kinds.put(k.name().toLowerCase(), Map.of("median", sk.median(), "max", sk.max(), "count", v.size(),
                    "time_to_safepoint_ms", Map.of("median", ttsp.median(), "max", ttsp.max())));
        }
        m.put("pauses", kinds);
        Histogram f = faultStallNanos();
        m.put("fault_stall_us", percentiles(f));
        Histogram probed = faultStallAtThreadNanos();
        Map<String, Object> atThread = new LinkedHashMap<>(percentiles(probed));
        atThread.put("count", probed.getTotalCount());
        m.put("fault_stall_at_thread_us", atThread);
        m.put("faults", (long) stat(s -> s.faults().served()).median());
        Spread tlb = tlbShootdowns();
        if (tlb != null) {
            m.put("tlb_shootdowns_in_window", Map.of("median", tlb.median(), "min", tlb.min(), "max", tlb.max()));
            m.put("tlb_shootdowns_per_page_moved", tlbPerPageMoved());
        }
        m.put("mutator_ops_per_s", windowOpsPerSecond().median());
        // The barrier's cost: throughput while concurrent marking ran against throughput outside the cycle.
        Spread outside = loadSpread(Measured::outsideCycleOpsPerSecond), marking = loadSpread(Measured::markingOpsPerSecond);
        m.put("mutator_ops_per_s_outside_cycle", outside == null ? null : spreadJson(outside));
        m.put("mutator_ops_per_s_marking", marking == null ? null : spreadJson(marking));
        m.put("mutator_marking_over_outside", outside == null || marking == null ? null : markingOverOutside().median());
        m.put("mutator_op_latency_in_window_us", percentiles(windowOpNanos()));
        m.put("compaction_ms_all", samples.stream().map(Sample::compactionMillis).toList());
        m.put("pause_ms_all", all);
        m.put("cycle_ms", spreadJson(stat(s -> s.timings().totalNanos() / 1e6)));
        m.put("mark_ms", stat(s -> s.timings().markNanos() / 1e6).median());
        m.put("plan_ms", stat(s -> s.timings().planNanos() / 1e6).median());
        m.put("live_bytes", (long) stat(s -> s.memory().liveBytes()).median());
        m.put("satb_logged", (long) stat(s -> s.engine().get(ugc_gc_stats::satb_logged)).median());
        m.put("black_bytes", (long) stat(s -> s.engine().get(ugc_gc_stats::black_bytes)).median());
        m.put("tail_bytes", (long) stat(s -> s.engine().get(ugc_gc_stats::tail_bytes)).median());
        m.put("tail_ahead_bytes", (long) stat(s -> s.engine().get(ugc_gc_stats::tail_ahead_bytes)).median());
        // Where the flip pause goes, measured by the engine around each part (ms), and its root work.
        m.put("flip_parts_ms", Map.of(
                "tail_plan", spreadJson(stat(s -> s.engine().get(ugc_gc_stats::tail_plan_ns) / 1e6)),
                "roots", spreadJson(stat(s -> s.engine().get(ugc_gc_stats::flip_roots_ns) / 1e6)),
                "remap_register", spreadJson(stat(s -> s.engine().get(ugc_gc_stats::flip_remap_ns) / 1e6))));
        m.put("roots_ahead", (long) stat(s -> s.engine().get(ugc_gc_stats::roots_ahead)).median());
        m.put("roots_in_pause", (long) stat(s -> s.engine().get(ugc_gc_stats::roots_in_pause)).median());
        m.put("used_before_bytes", (long) stat(s -> s.memory().usedBefore()).median());
        m.put("used_after_bytes", (long) stat(s -> s.memory().usedAfter()).median());
        m.put("pages_compacted", (long) stat(s -> s.pages().compacted()).median());
        m.put("pages_by_faults", (long) stat(s -> s.pages().byFaults()).median());
        m.put("pages_moved", (long) stat(s -> s.pages().moved()).median());
        m.put("pages_in_place", (long) stat(s -> s.pages().inPlace()).median());
        m.put("pages_copied", (long) stat(s -> s.pages().copied()).median());
        m.put("pages_zeroed", (long) stat(s -> s.pages().zeroed()).median());
        m.put("pages_fresh", (long) stat(s -> s.pages().fresh()).median());
        m.put("ebusy_fallbacks", (long) stat(s -> s.pages().ebusyFallbacks()).median());
        m.put("eexist_races", (long) stat(s -> s.pages().eexistRaces()).median());
        m.put("resident_before_bytes", (long) stat(s -> s.memory().heapResidentBefore()).median());
        m.put("resident_after_bytes", (long) stat(s -> s.memory().heapResidentAfter()).median());
        return m;
    }

    /** "1ms", "10ms", "100ms", "0.1ms": the JSON names of MMU windows. */
    static String windowName(double ms) {
        return (ms == Math.rint(ms) ? Long.toString((long) ms) : Double.toString(ms)) + "ms";
    }

    private Map<String, Object> cpuJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("basis", "getrusage(RUSAGE_THREAD) around each downcall; fault service: its threads' own CPU;"
                + " medians over repetitions; user/system split sampled per scheduler tick");
        putCpu(m, "mark", CycleStats.Cpu::mark, stat(s -> s.timings().markNanos() / 1e6).median());
        putCpu(m, "plan", CycleStats.Cpu::plan, stat(s -> s.timings().planNanos() / 1e6).median());
        putCpu(m, "flip", CycleStats.Cpu::flip, stat(s -> s.timings().flipNanos() / 1e6).median());
        putCpu(m, "compactors", CycleStats.Cpu::compactors, stat(s -> s.cpu().compactorsWallNanos() / 1e6).median());
        putCpu(m, "fault_service", CycleStats.Cpu::faultService, null);
        putCpu(m, "finish", CycleStats.Cpu::finish, stat(s -> s.timings().finishNanos() / 1e6).median());
        return m;
    }

    private void putCpu(Map<String, Object> m, String name, Function<CycleStats.Cpu, CpuTime> part, Double wallMs) {
        double[] us = cpuMillis(part);
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("user", us[0]);
        e.put("system", us[1]);
        if (wallMs != null) e.put("wall", wallMs);
        m.put(name, e);
    }

    /** The p-th percentile (nearest rank) of values. */
    static double percentile(List<Double> values, double p) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return v[Math.max(0, (int) Math.ceil(p / 100 * v.length) - 1)];
    }

    static Map<String, Object> percentiles(Histogram h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("p50", h.getValueAtPercentile(50) / 1e3);
        m.put("p99", h.getValueAtPercentile(99) / 1e3);
        m.put("p99_9", h.getValueAtPercentile(99.9) / 1e3);
        m.put("max", h.getMaxValue() / 1e3);
        m.put("count", h.getTotalCount());
        return m;
    }
}
