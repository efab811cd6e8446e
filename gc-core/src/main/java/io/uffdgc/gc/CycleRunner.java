package io.uffdgc.gc;

import io.uffdgc.gc.CycleStats.Faults;
import io.uffdgc.gc.CycleStats.Memory;
import io.uffdgc.gc.CycleStats.Pages;
import io.uffdgc.gc.CycleStats.Timings;
import io.uffdgc.gc.CycleStats.Trigger;
import io.uffdgc.gc.CpuMeter.Part;
import io.uffdgc.gc.engine.NativeEngine;
import io.uffdgc.gc.jfr.RareEvents;
import io.uffdgc.gc.observe.Phase;
import io.uffdgc.gc.observe.PhaseSpan;
import io.uffdgc.heap.Heap;
import io.uffdgc.heap.SafepointSession;
import io.uffdgc.heap.internal.HeapInternals;
import io.uffdgc.uffd.CpuTime;
import io.uffdgc.uffd.Userfaultfd;
import io.uffdgc.uffd.gen.ugc_gc_stats;
import io.uffdgc.uffd.service.FaultLog;
import io.uffdgc.uffd.service.FaultService;
import io.uffdgc.uffd.service.FaultServiceStats;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.HdrHistogram.Histogram;

/**
 * One cycle, phase by phase (ART's {@code MarkCompact::RunPhases}): {@link #run} reads
 * top to bottom as the algorithm, each phase a short method.
 * <ol>
 *   <li>marking, planning and the flip: three short pauses with marking and planning between
 *       them ({@link ConcurrentPhases}), or one heap safepoint that holds all three
 *       ({@link Marking#STOP_THE_WORLD});</li>
 *   <li>window (COPY, MOVE): compactor threads, each inside one downcall, compact while mutators run;</li>
 *   <li>finish: the engine compacts what the compactors left, unregisters, releases from-space;</li>
 *   <li>report: the cycle's statistics.</li>
 * </ol>
 */
final class CycleRunner implements AutoCloseable {
    /** How long one finish downcall waits before this thread checks whether the heap was closed. */
    private static final long FINISH_POLL_MS = 50;

    private final Heap heap;
    private final HeapInternals internals;
    private final NativeEngine engine;
    private final Userfaultfd uffd;
    private final FaultService service;
    private final CollectorConfig config;
    private final ExecutorService compactors;
    /** The current cycle's CPU times (cycles never overlap). */
    private CpuMeter cpu = new CpuMeter();
    private final ConcurrentPhases concurrentPhases;

    CycleRunner(Heap heap, HeapInternals internals, NativeEngine engine, Userfaultfd uffd, FaultService service,
                CollectorConfig config) {
        this.heap = heap;
        this.internals = internals;
        this.engine = engine;
        this.uffd = uffd;
        this.service = service;
        this.config = config;
        this.compactors = Executors.newFixedThreadPool(config.compactorThreads(),
                Thread.ofPlatform().daemon().name("uffdgc-compactor-" + heap.name() + "-", 0).factory());
        this.concurrentPhases = new ConcurrentPhases(heap, internals, engine);
    }

    /**
     * One cycle. A cycle for a failed allocation marks inside the pause whatever the config
     * says: concurrent marking keeps what died during marking (the snapshot) and everything
     * allocated meanwhile (black), so with other mutators allocating it can end as full as it
     * began; before an allocation may fail, a full collection runs (Shenandoah's degenerated
     * cycle, the JVM's rule before an OutOfMemoryError).
     */
    CycleStats run(long cycle, Mode mode, Trigger trigger, CycleListener events) {
        Marking marking = trigger == Trigger.ALLOCATION_FAILURE ? Marking.STOP_THE_WORLD : config.marking();
        faultServiceTimes();                       // faults before this cycle are not its own
        faultLog();
        cpu = new CpuMeter();
        FaultServiceStats faultsBefore = faultStats();
        long residentBefore = heapResident();
        int fd = mode.concurrent() ? uffd.fd() : -1;
        Timeline timeline = new Timeline(heap.name(), cycle);
        PrePhases pause = marking == Marking.CONCURRENT
                ? concurrentPhases.run(mode, fd, events, cpu, config.safepointWait(), timeline)
                : pause(mode, fd, timeline);
        long windowEnd = pause.resumed(), finished;
        if (mode.concurrent()) {                   // STW compacted inside the pause
            events.windowOpened(mode);
            Throwable compactorFailure;
            try {
                timeline.begin(Phase.WINDOW, pause.resumed());
                compactorFailure = runCompactors(config.compactorThreads(),
                        pause.resumed() + config.windowTimeout().toNanos(), timeline);
                windowEnd = timeline.next(Phase.WINDOW, Phase.FINISH);
                finish(pause.resumed());
                finished = timeline.end(Phase.FINISH);
            } finally {
                events.windowClosed(mode);         // every page installed, the range unregistered
            }
            if (compactorFailure != null)
                throw new CollectionFailedException("a compactor thread of heap " + heap.name() + " failed: "
                        + compactorFailure.getMessage() + "; finish compacted the pages it left, the heap is intact",
                        compactorFailure);
        } else {
            finished = System.nanoTime();
        }
        timeline.end(Phase.CYCLE, finished);
        // The interval first: it waits for every counted fault's record, so the counters read
        // after it hold each of those faults' outcomes (see FaultService.stats).
        Histogram serviceTimes = faultServiceTimes();
        FaultLog log = faultLog();
        FaultServiceStats faultsAfter = faultStats();
        Faults faults = new Faults(faultsAfter.faults() - faultsBefore.faults(),
                faultsAfter.failed() - faultsBefore.failed(), serviceTimes, log);
        CpuTime serviceCpu = faultsAfter.cpu().minus(faultsBefore.cpu());
        CycleStats stats = report(cycle, mode, trigger, marking, pause, windowEnd, finished, faults, serviceCpu,
                residentBefore, timeline.spans());
        timeline.publish(stats);
        RareEvents.afterCycle(heap.name(), stats);
        return stats;
    }

    /** Mark, plan and flip, with every mutator stopped at one heap safepoint. */
    private PrePhases pause(Mode mode, int fd, Timeline timeline) {
        long start = timeline.begin(Phase.FLIP, timeline.begin(Phase.CYCLE)), ttsp, a, b, c, d;
        SafepointSession session = heap.stopTheWorld(config.safepointWait());
        try (session) {
            ttsp = session.timeToSafepointNanos();
            a = timeline.begin(Phase.MARKING);
            cpu.time(Part.MARK, engine::mark);
            b = timeline.next(Phase.MARKING, Phase.PLANNING);
            long newTop = cpu.time(Part.PLAN, engine::plan);
            c = timeline.end(Phase.PLANNING);
            engine.flip(mode.nativeMode(), fd);   // its CPU time: the engine's flip_user_ns/flip_system_ns
            internals.resetTop(newTop);
            d = System.nanoTime();
        }
        long resumed = timeline.end(Phase.FLIP, session.releasedNanos()); // the mutators' end of it, not this thread's
        return new PrePhases(start, start, ttsp, b - a, c - b, d - c, resumed,
                List.of(new CyclePause(CyclePause.Kind.FLIP, resumed - start, ttsp)));
    }

    /**
     * Ends the window: the engine takes over pages the compactors left (one owner, in C),
     * then unregisters and releases from-space. Java only bounds the time and watches for
     * a heap closed under the cycle.
     */
    private void finish(long resumed) {
        long deadline = resumed + config.windowTimeout().toNanos();
        for (;;) {
            if (heap.isClosed()) {
                long lost = engine.abort();
                throw new CollectionFailedException("heap " + heap.name() + " was closed during the compaction window ("
                        + lost + " pages were not compacted)");
            }
            if (cpu.time(Part.FINISH, () -> engine.finish(FINISH_POLL_MS) ? 1 : 0) != 0) return;
            if (System.nanoTime() > deadline)
                throw new CollectionFailedException("compaction window of heap " + heap.name() + " still open after "
                        + config.windowTimeout() + ": " + engine.unclaimedPages() + " pages unclaimed, engine "
                        + engine.stats());
        }
    }

    private CycleStats report(long cycle, Mode mode, Trigger trigger, Marking marking, PrePhases pause, long windowEnd,
                              long finished,
                              Faults faults, CpuTime serviceCpu, long residentBefore, List<PhaseSpan> spans) {
        EngineStats e = engine.stats();
        cpu.add(Part.MARK, new CpuTime(e.get(ugc_gc_stats::mark_helper_user_ns), e.get(ugc_gc_stats::mark_helper_system_ns)));
        cpu.add(Part.FLIP, new CpuTime(e.get(ugc_gc_stats::flip_user_ns), e.get(ugc_gc_stats::flip_system_ns)));
        Timings timings = new Timings(pause.resumed() - pause.flipStart(), pause.flipTimeToSafepoint(), pause.mark(),
                pause.plan(), pause.flip(), windowEnd - pause.resumed(), finished - windowEnd, finished - pause.start());
        Pages pages = new Pages(
                e.get(ugc_gc_stats::pages_by_compactors) + e.get(ugc_gc_stats::pages_by_faults)
                        + e.get(ugc_gc_stats::pages_direct),
                e.get(ugc_gc_stats::pages_by_faults), e.get(ugc_gc_stats::pages_moved),
                e.get(ugc_gc_stats::pages_in_place), e.get(ugc_gc_stats::pages_copied),
                e.get(ugc_gc_stats::pages_zeroed), e.get(ugc_gc_stats::pages_fresh),
                e.get(ugc_gc_stats::ebusy_fallbacks), e.get(ugc_gc_stats::eexist_races));
        Memory memory = new Memory(e.get(ugc_gc_stats::live_bytes), e.get(ugc_gc_stats::live_objects),
                e.get(ugc_gc_stats::old_top), e.get(ugc_gc_stats::new_top), residentBefore, heapResident());
        return new CycleStats(cycle, mode, trigger, timings, pages, faults, memory, e, cpu.toCpu(serviceCpu),
                marking, pause.pauses(), spans);
    }

    /**
     * Starts n compactors and waits for all of them, uninterruptibly: the window must close
     * whatever happens to this thread, so an interrupt is kept aside and given back on the way
     * out (a second get() after re-interrupting would throw at once and clear it again).
     * Returns the first compactor's failure, or null: a failed compactor has returned from C
     * with its claims ended, so the window can still be finished. A compactor still inside C
     * at the deadline cannot be: finish or abort would pull from-space from under it.
     */
    private Throwable runCompactors(int n, long deadline, Timeline timeline) {
        List<Future<Long>> running = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int index = i;
            running.add(compactors.submit(() -> cpu.time(Part.COMPACT, () -> timeline.compactor(index, () -> engine.compact(index)))));
        }
        boolean interrupted = false;
        Throwable failed = null;
        try {
            for (Future<Long> f : running) {
                for (;;) {
                    try {
                        f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                        break;
                    } catch (InterruptedException e) {
                        interrupted = true;
                    } catch (ExecutionException e) {
                        RareEvents.compactorFailed(heap.name(), timeline.cycle(), e.getCause());
                        if (failed == null) failed = e.getCause();
                        break;
                    } catch (TimeoutException e) {
                        throw new CollectionFailedException("compactor thread of heap " + heap.name()
                                + " still running after " + config.windowTimeout() + "; the window stays open");
                    }
                }
            }
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
        return failed;
    }

    /** The fault service times since the previous call (an empty histogram without a service). */
    private Histogram faultServiceTimes() {
        return service != null ? service.intervalServiceTimes() : new Histogram(FaultService.MAX_SERVICE_NANOS, 3);
    }

    /** The faults' records since the previous call, if config.faultLog() (else empty). */
    private FaultLog faultLog() {
        return service != null ? service.intervalFaultLog() : FaultLog.EMPTY;
    }

    private FaultServiceStats faultStats() {
        return service != null ? service.stats() : new FaultServiceStats(0, 0, 0, 0, 0, 0, 0, null, CpuTime.ZERO);
    }

    /** Resident bytes of the heap's range (from-space not counted); 0 once the heap is closed. */
    private long heapResident() {
        return heap.isClosed() ? 0 : io.uffdgc.uffd.Memory.residentBytes(heap.base(), heap.capacity());
    }

    @Override
    public void close() {
        compactors.shutdown();
    }
}
