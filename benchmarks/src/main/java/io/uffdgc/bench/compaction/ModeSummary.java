package io.uffdgc.bench.compaction;

import io.uffdgc.bench.report.Spread;
import io.uffdgc.gc.CyclePause;
import io.uffdgc.gc.CycleStats;
import io.uffdgc.gc.Mode;
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

    public Spread windowOpsPerSecond() { return spread(Sample::windowOpsPerSecond); }

    /** Mutator operations per second outside marking and the window (the barrier off). */
    public Spread outsideOpsPerSecond() { return spread(s -> s.load().outsideOpsPerSecond()); }

    /** Mutator operations per second while concurrent marking ran (the barrier on). */
    public Spread markingOpsPerSecond() { return spread(s -> s.load().markingOpsPerSecond()); }

    public Spread stat(ToDoubleFunction<CycleStats> f) { return spread(s -> f.applyAsDouble(s.stats())); }

    /** Fault service time (ns) of every fault of every repetition. */
    public Histogram faultStallNanos() {
        Histogram h = new Histogram(3);
        for (Sample s : samples) h.add(s.stats().faults().serviceNanos());
        return h;
    }

    /** Mutator operation latency (ns) while the window was open, all repetitions. */
    public Histogram windowOpNanos() {
        Histogram h = new Histogram(3);
        for (Sample s : samples) h.add(s.load().windowLatency());
        return h;
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
        m.put("faults", (long) stat(s -> s.faults().served()).median());
        m.put("mutator_ops_per_s", windowOpsPerSecond().median());
        m.put("mutator_ops_per_s_outside_cycle", outsideOpsPerSecond().median());
        m.put("mutator_ops_per_s_marking", markingOpsPerSecond().median());
        m.put("mutator_op_latency_in_window_us", percentiles(windowOpNanos()));
        m.put("compaction_ms_all", samples.stream().map(Sample::compactionMillis).toList());
        m.put("pause_ms_all", all);
        m.put("mark_ms", stat(s -> s.timings().markNanos() / 1e6).median());
        m.put("plan_ms", stat(s -> s.timings().planNanos() / 1e6).median());
        m.put("live_bytes", (long) stat(s -> s.memory().liveBytes()).median());
        m.put("satb_logged", (long) stat(s -> s.engine().get(ugc_gc_stats::satb_logged)).median());
        m.put("black_bytes", (long) stat(s -> s.engine().get(ugc_gc_stats::black_bytes)).median());
        m.put("tail_bytes", (long) stat(s -> s.engine().get(ugc_gc_stats::tail_bytes)).median());
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
