package io.uffdgc.bench.compaction;

import io.uffdgc.bench.compaction.BenchConfig.RatioBasis;
import io.uffdgc.bench.report.RatioInterval;
import io.uffdgc.gc.Mode;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The ratios of one run between two modes' compaction times, from paired repetitions:
 * repetition i of every mode collects a heap built from the same seed, so the pairs
 * share their heap and, interleaved, most of the machine's drift.
 */
public final class Ratios {
    static final double LEVEL = 0.95;

    private Ratios() {}

    /** a's time over b's on the given basis; empty unless both modes ran and verified every repetition. */
    static Optional<RatioInterval> of(List<ModeSummary> modes, Mode a, Mode b, RatioBasis basis) {
        Optional<ModeSummary> x = find(modes, a), y = find(modes, b);
        if (x.isEmpty() || y.isEmpty() || !x.get().verified() || !y.get().verified()) return Optional.empty();
        return Optional.of(RatioInterval.paired(times(x.get(), basis), times(y.get(), basis), LEVEL));
    }

    private static List<Double> times(ModeSummary m, RatioBasis basis) {
        return m.samples().stream().sorted(Comparator.comparingInt(Sample::repetition))
                .map(s -> s.compactionMillis(basis)).toList();
    }

    /**
     * The result file's top-level "ratios": move_over_copy on the headline basis, the same on
     * the other basis, and move_over_stw on the headline basis.
     */
    public static Map<String, Object> toJson(List<ModeSummary> modes, RatioBasis headline) {
        RatioBasis other = headline == RatioBasis.WALL ? RatioBasis.CPU : RatioBasis.WALL;
        Map<String, Object> m = new LinkedHashMap<>();
        of(modes, Mode.MOVE, Mode.COPY, headline).ifPresent(r -> m.put("move_over_copy", json(r, headline)));
        of(modes, Mode.MOVE, Mode.COPY, other).ifPresent(r -> m.put("move_over_copy_" + name(other), json(r, other)));
        of(modes, Mode.MOVE, Mode.STW, headline).ifPresent(r -> m.put("move_over_stw", json(r, headline)));
        return m;
    }

    static String name(RatioBasis b) { return b.name().toLowerCase(); }

    private static Map<String, Object> json(RatioInterval r, RatioBasis basis) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("value", r.value());
        m.put("ci95", List.of(r.lo(), r.hi()));
        m.put("basis", name(basis));
        m.put("coverage", r.coverage());
        m.put("pairs", r.pairs());
        m.put("includes_1", r.includesOne());
        m.put("method", RatioInterval.METHOD);
        return m;
    }

    private static Optional<ModeSummary> find(List<ModeSummary> modes, Mode m) {
        return modes.stream().filter(s -> s.mode() == m).findFirst();
    }
}
