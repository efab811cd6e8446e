package io.uffdgc.bench;

import io.uffdgc.bench.compaction.BenchConfig.RatioBasis;
import io.uffdgc.bench.compaction.Sizes;
import io.uffdgc.bench.workload.ObjectMix;
import io.uffdgc.bench.workload.SurvivalPattern;
import io.uffdgc.gc.FaultHandling;
import io.uffdgc.gc.Marking;
import io.uffdgc.gc.Mode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * picocli converters for the benchmarks' option types. A value they reject fails the
 * parse with one line naming the option and what it takes (see BenchMain).
 */
public final class OptionTypes {
    private OptionTypes() {}

    /** A size such as 256m or 1g ({@link Sizes#parse}). */
    public static final class Size implements ITypeConverter<Long> {
        @Override
        public Long convert(String s) { return converted(Sizes::parse, s); }
    }

    /** An object mix such as records=0.85,refarrays=0.10,bytearrays=0.05 ({@link ObjectMix#parse}). */
    public static final class Mix implements ITypeConverter<ObjectMix> {
        @Override
        public ObjectMix convert(String s) { return converted(ObjectMix::parse, s); }
    }

    /** The modes a run compares: every mode but AUTO, which only picks one of them. */
    public static final class Modes extends Names<Mode> {
        public Modes() { super(new Mode[] {Mode.MOVE, Mode.COPY, Mode.STW}, m -> m.name().toLowerCase(Locale.ROOT)); }
    }

    /** What a headline ratio compares: wall or CPU time. */
    public static final class Bases extends Names<RatioBasis> {
        public Bases() {
            super(RatioBasis.values(), b -> b.name().toLowerCase(Locale.ROOT));
        }
    }

    public static final class FaultHandlings extends Names<FaultHandling> {
        public FaultHandlings() { super(FaultHandling.values(), h -> h.name().toLowerCase(Locale.ROOT)); }
    }

    /** How cycles mark: concurrent (the default) or stw (inside the flip pause, the baseline). */
    public static final class Markings extends Names<Marking> {
        public Markings() {
            super(new Marking[] {Marking.CONCURRENT, Marking.STOP_THE_WORLD}, m -> m == Marking.CONCURRENT ? "concurrent" : "stw");
        }
    }

    public static final class Patterns extends Names<SurvivalPattern> {
        public Patterns() { super(SurvivalPattern.values(), p -> p.name().toLowerCase(Locale.ROOT)); }
    }

    /**
     * Constants by name, any case; iterating gives the names, so one class serves an
     * option as converter and as {@code completionCandidates} (help's list of values).
     */
    public abstract static class Names<E> implements ITypeConverter<E>, Iterable<String> {
        private final Map<String, E> byName = new LinkedHashMap<>();

        protected Names(E[] constants, Function<E, String> name) {
            for (E e : constants) byName.put(name.apply(e), e);
        }

        @Override
        public E convert(String s) {
            E e = byName.get(s.trim().toLowerCase(Locale.ROOT));
            if (e == null) throw new TypeConversionException("'" + s + "' is not one of " + String.join(", ", byName.keySet()));
            return e;
        }

        @Override
        public Iterator<String> iterator() { return byName.keySet().iterator(); }
    }

    /** parse(s), its IllegalArgumentException turned into the conversion error picocli reports in one line. */
    public static <T> T converted(Function<String, T> parse, String s) {
        try {
            return parse.apply(s);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
