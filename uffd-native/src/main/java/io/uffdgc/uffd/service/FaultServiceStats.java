package io.uffdgc.uffd.service;

import io.uffdgc.uffd.CpuTime;
import io.uffdgc.uffd.Errno;
import io.uffdgc.uffd.IoctlCounters;

/**
 * Counters of a {@link FaultService}.
 *
 * @param faults           page-fault messages read
 * @param resolved         faults the resolver resolved
 * @param failed           faults the resolver failed (their threads were woken to retry)
 * @param lastErrno        errno of the latest failure, 0 if none
 * @param otherEvents      messages other than page faults (REMOVE, UNMAP, ...)
 * @param latenciesDropped fault records (service times) lost because the ring was full
 * @param servedAtStop     faults still queued at stop and served by it
 * @param ioctls           ioctls issued by the service threads, EEXIST races included
 * @param cpu              CPU time of all service threads since they started (polling and reading messages
 *                         included); each thread logs its own at most once per millisecond, and the part
 *                         since is read from its CPU clock and split as its log is (ugc_service.c)
 */
public record FaultServiceStats(long faults, long resolved, long failed, int lastErrno, long otherEvents,
                                long latenciesDropped, long servedAtStop, IoctlCounters ioctls, CpuTime cpu) {
    @Override
    public String toString() {
        return "FaultServiceStats[faults=" + faults + " resolved=" + resolved + " failed=" + failed
                + (lastErrno != 0 ? " last=" + Errno.name(lastErrno) : "") + " other=" + otherEvents
                + " eexistRaces=" + ioctls.eexist() + " dropped=" + latenciesDropped + " servedAtStop=" + servedAtStop
                + " " + ioctls + " " + cpu + "]";
    }
}
