package io.uffdgc.gc.engine;

import io.uffdgc.uffd.gen.ugc_counters;
import io.uffdgc.uffd.gen.ugc_gc_stats;
import java.lang.foreign.MemorySegment;

/**
 * The C engine's counters for one cycle ({@code ugc_gc_stats}), copied into Java.
 *
 * @param liveBytes         bytes of reachable objects
 * @param liveObjects       reachable objects
 * @param oldTop            heap top before the cycle (bytes from base)
 * @param newTop            heap top after compaction
 * @param pagesTotal        to-space pages holding compacted data
 * @param pagesByCompactors pages compacted by compactor threads
 * @param pagesByFaults     pages compacted first because a mutator faulted on them
 * @param pagesMoved        pages installed with UFFDIO_MOVE
 * @param pagesCopied       pages installed with UFFDIO_COPY
 * @param pagesDirect       pages written straight into the heap (STW)
 * @param pagesZeroed       free-heap pages served with a zero page during the window
 * @param pagesInPlace      dense-prefix pages updated in place (MOVE: moved back with no copy; COPY: copied from
 *                          their own from-space page; STW: never moved)
 * @param hugeMoves         MOVE ioctls that moved a whole 2 MiB block of dense pages
 * @param pagesRecycled     MOVE: pages compacted into consumed from-space pages
 * @param pagesFresh        MOVE: pages compacted into fresh memory (no consumed page was free)
 * @param moveRuns          MOVE ioctls issued by compactors for runs of pages
 * @param copyRuns          COPY ioctls issued by compactors for runs of pages
 * @param ebusyFallbacks    pages MOVE refused with EBUSY, installed by COPY instead
 * @param eexistRaces       installs that found the page mapped already
 * @param faultWaits        faults that found their page claimed and waited for it
 * @param installRetries    ioctls retried after a transient error
 * @param abandoned         compactor calls that stopped early (test knob)
 * @param errors            installs that failed for good (the page was left for another pass)
 * @param lastErrno         errno of the latest error, 0 if none
 * @param compactorIoctls   ioctls the compactor threads issued (move, copy, errors by kind)
 */
public record EngineStats(long liveBytes, long liveObjects, long oldTop, long newTop, long pagesTotal,
                          long pagesByCompactors, long pagesByFaults, long pagesMoved, long pagesCopied,
                          long pagesDirect, long pagesZeroed, long pagesInPlace, long hugeMoves, long pagesRecycled, long pagesFresh,
                          long moveRuns, long copyRuns, long ebusyFallbacks, long eexistRaces, long faultWaits,
                          long installRetries, long abandoned, long errors, int lastErrno,
                          CompactorIoctls compactorIoctls) {

    /** The compactor threads' ioctl counters ({@code ugc_counters}). */
    public record CompactorIoctls(long moveCalls, long copyCalls, long ebusy, long eexist, long enomem, long eagain,
                                  long otherErrors) {
        static CompactorIoctls read(MemorySegment c) {
            return new CompactorIoctls(ugc_counters.move_calls(c), ugc_counters.copy_calls(c), ugc_counters.ebusy(c),
                    ugc_counters.eexist(c), ugc_counters.enomem(c), ugc_counters.eagain(c),
                    ugc_counters.other_errors(c));
        }
    }

    static EngineStats read(MemorySegment s) {
        return new EngineStats(ugc_gc_stats.live_bytes(s), ugc_gc_stats.live_objects(s), ugc_gc_stats.old_top(s),
                ugc_gc_stats.new_top(s), ugc_gc_stats.pages_total(s), ugc_gc_stats.pages_by_compactors(s),
                ugc_gc_stats.pages_by_faults(s), ugc_gc_stats.pages_moved(s), ugc_gc_stats.pages_copied(s),
                ugc_gc_stats.pages_direct(s), ugc_gc_stats.pages_zeroed(s), ugc_gc_stats.pages_in_place(s),
                ugc_gc_stats.huge_moves(s),
                ugc_gc_stats.pages_recycled(s), ugc_gc_stats.pages_fresh(s), ugc_gc_stats.move_runs(s),
                ugc_gc_stats.copy_runs(s), ugc_gc_stats.ebusy_fallbacks(s), ugc_gc_stats.eexist_races(s),
                ugc_gc_stats.fault_waits(s), ugc_gc_stats.install_retries(s), ugc_gc_stats.abandoned(s),
                ugc_gc_stats.errors(s), (int) -ugc_gc_stats.last_error(s),
                CompactorIoctls.read(ugc_gc_stats.ctr(s)));
    }
}
