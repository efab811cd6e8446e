package io.uffdgc.gc;

import io.uffdgc.uffd.IoctlCounters;
import io.uffdgc.uffd.gen.Uffdgc;
import io.uffdgc.uffd.gen.ugc_gc_stats;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;
import java.util.stream.IntStream;

/**
 * A snapshot of the C engine's counters for one cycle ({@code ugc_gc_stats}).
 *
 * <p>The counters are declared once, in the {@code UGC_GC_STATS} list of {@code ugc_gc.h},
 * which makes the C struct, its generated accessors ({@link ugc_gc_stats}) and the names
 * returned by {@code ugc_gc_stat_name}. This class declares none of them again: read one by
 * its generated accessor, {@code stats.get(ugc_gc_stats::pages_moved)}, or iterate them all
 * by name with {@link #counters()} (Agrona's CountersReader does the same).
 */
public final class EngineStats {
    /** The counters' names in struct order, from C. */
    private static final List<String> NAMES = IntStream.range(0, Uffdgc.ugc_gc_stat_count())
            .mapToObj(i -> Uffdgc.ugc_gc_stat_name(i).getString(0)).toList();

    private final MemorySegment snapshot;

    /** The index of counter name in UGC_GC_STATS. */
    public static int indexOf(String name) {
        int i = NAMES.indexOf(name);
        if (i < 0) throw new IllegalArgumentException("no engine counter named " + name + " (UGC_GC_STATS: " + NAMES + ")");
        return i;
    }

    private EngineStats(MemorySegment snapshot) { this.snapshot = snapshot; }

    /** Copies a {@code ugc_gc_stats} the engine filled into Java memory. */
    public static EngineStats copyOf(MemorySegment nativeStats) {
        MemorySegment copy = MemorySegment.ofArray(new long[(int) (ugc_gc_stats.sizeof() / Long.BYTES)]);
        copy.copyFrom(nativeStats);
        return new EngineStats(copy);
    }

    /** One counter, by its generated accessor: {@code get(ugc_gc_stats::pages_moved)}. */
    public long get(ToLongFunction<MemorySegment> accessor) { return accessor.applyAsLong(snapshot); }

    /** Every counter of {@code UGC_GC_STATS}, by its C name, in declaration order. */
    public Map<String, Long> counters() {
        Map<String, Long> all = new LinkedHashMap<>();
        for (int i = 0; i < NAMES.size(); i++) all.put(NAMES.get(i), snapshot.getAtIndex(ValueLayout.JAVA_LONG, i));
        return all;
    }

    /** errno of the latest install error, 0 if none. */
    public int lastErrno() { return (int) -ugc_gc_stats.last_error(snapshot); }

    /** The ioctls the compactor threads issued (fault servers count theirs in the fault service). */
    public IoctlCounters compactorIoctls() { return IoctlCounters.read(ugc_gc_stats.ctr(snapshot)); }

    @Override
    public String toString() {
        return "EngineStats" + counters() + " lastErrno=" + lastErrno() + " compactor " + compactorIoctls();
    }
}
