package io.uffdgc.gc;

import io.uffdgc.gc.jfr.CompactorEvent;
import io.uffdgc.gc.jfr.CycleEvent;
import io.uffdgc.gc.jfr.CycleEventBase;
import io.uffdgc.gc.jfr.FinishEvent;
import io.uffdgc.gc.jfr.JfrGate;
import io.uffdgc.gc.jfr.MarkingEvent;
import io.uffdgc.gc.jfr.PauseEvent;
import io.uffdgc.gc.jfr.PlanningEvent;
import io.uffdgc.gc.jfr.WindowEvent;
import io.uffdgc.gc.observe.Phase;
import io.uffdgc.gc.observe.PhaseSpan;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * One cycle's phases as they happen: the stamps the runner times its phases with come from
 * here, so each {@link PhaseSpan} is exactly the statistic it stands for, and each phase's
 * JFR event is begun and ended at those moments (JFR takes an event's time only from
 * begin() and end()). The events are committed by {@link #publish} once the cycle's
 * statistics exist; an event type nobody records costs a shouldCommit() check.
 *
 * <p>The cycle's own thread begins and ends phases (one at a time per phase); compactor
 * threads add their spans concurrently through {@link #compactor}.
 */
final class Timeline {
    private record Open(long startNanos, CycleEventBase event) {}

    private record Ended(PhaseSpan span, CycleEventBase event) {}

    private final String heap;
    private final long cycle;
    private final Map<Phase, Open> open = new EnumMap<>(Phase.class);
    private final List<Ended> ended = new ArrayList<>();

    Timeline(String heap, long cycle) {
        this.heap = heap;
        this.cycle = cycle;
    }

    String heap() { return heap; }

    long cycle() { return cycle; }

    /** Starts phase now; returns the stamp. */
    long begin(Phase phase) { return begin(phase, System.nanoTime()); }

    /** Starts phase at stamp at (taken just before by the caller); its JFR event begins now. */
    synchronized long begin(Phase phase, long at) {
        CycleEventBase e = JfrGate.open() ? eventFor(phase) : null;
        if (e != null) e.begin();
        open.put(phase, new Open(at, e));
        return at;
    }

    /** Ends phase now; returns the stamp. */
    long end(Phase phase) { return end(phase, System.nanoTime()); }

    synchronized long end(Phase phase, long at) {
        Open o = open.remove(phase);
        if (o == null) throw new IllegalStateException(phase + " ended but never began");
        if (o.event != null) o.event.end();
        ended.add(new Ended(new PhaseSpan(phase, Thread.currentThread().getName(), o.startNanos, at, 0), o.event));
        return at;
    }

    /** Ends one phase and begins the next at the same stamp. */
    long next(Phase ending, Phase beginning) { return next(ending, beginning, System.nanoTime()); }

    /** Ends one phase and begins the next at the given stamp. */
    long next(Phase ending, Phase beginning, long at) {
        end(ending, at);
        return begin(beginning, at);
    }

    /**
     * Runs one compactor thread's downcall (returning its pages) on this thread; its span and
     * its JFR event, committed here on the compactor thread.
     */
    long compactor(int worker, LongSupplier work) {
        CompactorEvent e = JfrGate.open() ? new CompactorEvent() : null;
        long start = System.nanoTime();
        if (e != null) e.begin();
        long pages = work.getAsLong();
        if (e != null) e.end();
        PhaseSpan span = new PhaseSpan(Phase.COMPACTOR, Thread.currentThread().getName(), start, System.nanoTime(), pages);
        synchronized (this) {
            ended.add(new Ended(span, null));
        }
        if (e != null && e.shouldCommit()) {
            e.heap = heap;
            e.cycle = cycle;
            e.worker = worker;
            e.fill(null, span);
            e.commit();
        }
        return pages;
    }

    /** The spans ended so far, in the order they ended. */
    synchronized List<PhaseSpan> spans() {
        return ended.stream().map(Ended::span).toList();
    }

    /** Commits the phases' JFR events with the cycle's figures (those being recorded). */
    synchronized void publish(CycleStats stats) {
        for (Ended x : ended) {
            if (x.event == null || !x.event.shouldCommit()) continue;
            x.event.heap = heap;
            x.event.cycle = cycle;
            x.event.fill(stats, x.span);
            x.event.commit();
        }
    }

    private static CycleEventBase eventFor(Phase phase) {
        return switch (phase) {
            case CYCLE -> new CycleEvent();
            case MARK_BEGIN, REMARK, TAIL, FLIP -> new PauseEvent();
            case MARKING -> new MarkingEvent();
            case PLANNING -> new PlanningEvent();
            case WINDOW -> new WindowEvent();
            case FINISH -> new FinishEvent();
            case COMPACTOR -> throw new IllegalArgumentException("compactor spans come from compactor()");
        };
    }
}
