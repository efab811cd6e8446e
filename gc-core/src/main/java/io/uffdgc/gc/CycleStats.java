package io.uffdgc.gc;

import io.uffdgc.gc.observe.PhaseSpan;
import io.uffdgc.uffd.CpuTime;
import io.uffdgc.uffd.gen.ugc_gc_stats;
import io.uffdgc.uffd.service.FaultLog;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * What one cycle did and cost, in five small groups; every C counter besides is in
 * {@link #engine()}. Times are nanoseconds, sizes bytes.
 *
 * @param cycle   1 for the collector's first cycle
 * @param mode    the mode the cycle ran in (never AUTO)
 * @param trigger what started it
 * @param timings how long each phase took
 * @param pages   what became of the to-space pages
 * @param faults  the faults mutators took during the window
 * @param memory  live data, heap use and resident memory before and after
 * @param engine  every counter of the C engine, errors and retries included
 * @param cpu     CPU time of the threads that did each part, user and system apart
 * @param marking how it marked and planned (concurrently, or inside the flip pause)
 * @param pauses  every heap safepoint of the cycle, in order (stop-the-world marking: the flip only)
 * @param timeline every phase as it ran, on which thread, from when to when, in the order they ended
 *                 (the spans' lengths are these statistics: {@link PhaseSpan})
 */
public record CycleStats(long cycle, Mode mode, Trigger trigger, Timings timings, Pages pages, Faults faults,
                         Memory memory, EngineStats engine, Cpu cpu, Marking marking, List<CyclePause> pauses,
                         List<PhaseSpan> timeline) {
    public CycleStats {
        pauses = List.copyOf(pauses);
        timeline = List.copyOf(timeline);
    }

    /** The longest single pause of the cycle. */
    public long longestPauseNanos() {
        long max = 0;
        for (CyclePause p : pauses) max = Math.max(max, p.nanos());
        return max;
    }

    /** Why a cycle ran. */
    public enum Trigger { EXPLICIT, ALLOCATION_FAILURE, POLICY }

    /**
     * @param pauseNanos           the flip pause: from requesting the heap safepoint until the mutators resumed
     *                             (STW mode: includes compacting every page); every pause is in {@link #pauses()}
     * @param timeToSafepointNanos part of the pause spent waiting for the mutators to stop
     * @param markNanos            marking: concurrent, from the begin pause to the remark pause, or inside the pause
     * @param planNanos            planning: concurrent, after remark (the TAIL pause inside it), or inside the pause
     * @param flipNanos            forwarding roots, the mremap, registering (STW: and compacting; concurrent
     *                             marking: and planning what was allocated since the TAIL pause)
     * @param windowNanos          compaction window: mutators resumed until the last compactor thread returned
     *                             (0 in STW mode)
     * @param finishNanos          from the compactors' return until from-space was released (pages left
     *                             behind by a compactor are compacted here)
     * @param totalNanos           the whole cycle, as the caller of collect() waited for it
     */
    public record Timings(long pauseNanos, long timeToSafepointNanos, long markNanos, long planNanos, long flipNanos,
                          long windowNanos, long finishNanos, long totalNanos) {}

    /**
     * @param compacted      to-space pages built (compactors, faults and finish; or all of them in STW)
     * @param byFaults       of those, pages compacted first because a mutator faulted on them
     * @param moved          installed with UFFDIO_MOVE
     * @param inPlace        dense-prefix pages: updated in place, moved back with no copy (COPY: copied from
     *                       their own from-space page; STW: never moved)
     * @param copied         installed with UFFDIO_COPY
     * @param zeroed         free heap served with a zero page during the window
     * @param fresh          MOVE: built in fresh memory because no consumed from-space page was free
     * @param ebusyFallbacks pages MOVE refused with EBUSY and COPY installed
     * @param eexistRaces    installs that found their page mapped already
     */
    public record Pages(long compacted, long byFaults, long moved, long inPlace, long copied, long zeroed, long fresh,
                        long ebusyFallbacks, long eexistRaces) {}

    /**
     * @param served       fault messages the fault service handled during the cycle
     * @param failed       of those, faults whose resolution failed (the mutator was woken and faulted again)
     * @param serviceNanos per fault, the native service time (message read to resolver return)
     * @param log          per fault, its start, stall and page, if {@link CollectorConfig#faultLog()} (else empty)
     */
    public record Faults(long served, long failed, Histogram serviceNanos, FaultLog log) {
        public Faults {
            serviceNanos = serviceNanos.copy();
        }

        /** A copy: the record stays immutable. */
        @Override
        public Histogram serviceNanos() { return serviceNanos.copy(); }

        double percentileMicros(double p) { return serviceNanos.getValueAtPercentile(p) / 1e3; }
    }

    /**
     * @param liveBytes          bytes of reachable objects
     * @param liveObjects        reachable objects
     * @param usedBefore         heap top before the cycle
     * @param usedAfter          heap top after compaction
     * @param heapResidentBefore resident bytes of the heap's range before the cycle (from-space not counted)
     * @param heapResidentAfter  resident bytes of the heap's range after it (0 if the heap was closed meanwhile)
     */
    public record Memory(long liveBytes, long liveObjects, long usedBefore, long usedAfter, long heapResidentBefore,
                         long heapResidentAfter) {
        /** usedBefore - usedAfter. */
        public long freedBytes() { return usedBefore - usedAfter; }
    }

    /**
     * CPU time of the threads that did each part of the cycle ({@link CpuTime}: the sum exact,
     * the user/system split sampled per 4 ms tick), beside the wall times of {@link Timings}.
     *
     * @param mark                the collecting thread inside the mark downcall
     * @param plan                the collecting thread inside the plan downcall
     * @param flip                the collecting thread inside the flip downcall (STW: compacting every page)
     * @param compactors          every compactor thread inside its compact downcall, summed
     * @param compactorsWallNanos wall time of those downcalls, summed over compactor threads
     * @param finish              the collecting thread inside the finish downcalls (pages compactors left)
     * @param faultService        the native fault-service threads during the cycle (polling, reading
     *                            messages and building the pages mutators faulted on)
     */
    public record Cpu(CpuTime mark, CpuTime plan, CpuTime flip, CpuTime compactors, long compactorsWallNanos,
                      CpuTime finish, CpuTime faultService) {
        /**
         * The compaction's CPU time: concurrent modes, compactors, fault service and finish
         * (every thread that built pages); STW, the flip (which compacts) and finish.
         */
        public CpuTime compaction(Mode mode) {
            return mode.concurrent() ? compactors.plus(faultService).plus(finish) : flip.plus(finish);
        }
    }

    @Override
    public String toString() {
        Timings t = timings;
        Pages p = pages;
        Memory m = memory;
        return String.format("cycle %d %s (%s, %s marking): pause %.2f ms (longest %.2f; mark %.2f, plan %.2f, flip %.2f), window %.2f ms,"
                        + " finish %.2f ms; live %d MiB of %d MiB, freed %d MiB; pages %d (faults %d, moved %d,"
                        + " in place %d, 2M moves %d, copied %d, zeroed %d, fresh %d, ebusy %d, eexist %d);"
                        + " faults %d p50 %.1f us p99 %.1f us; heap resident %d -> %d MiB; errors %d; compaction %s",
                cycle, mode, trigger, marking, t.pauseNanos / 1e6, longestPauseNanos() / 1e6, t.markNanos / 1e6, t.planNanos / 1e6, t.flipNanos / 1e6,
                t.windowNanos / 1e6, t.finishNanos / 1e6, m.liveBytes >> 20, m.usedBefore >> 20, m.freedBytes() >> 20,
                p.compacted, p.byFaults, p.moved, p.inPlace, engine.get(ugc_gc_stats::huge_moves),
                p.copied, p.zeroed, p.fresh, p.ebusyFallbacks, p.eexistRaces, faults.served,
                faults.percentileMicros(50), faults.percentileMicros(99), m.heapResidentBefore >> 20,
                m.heapResidentAfter >> 20, engine.get(ugc_gc_stats::errors), cpu.compaction(mode));
    }
}
