package io.uffdgc.uffd.service;

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
 * @param latenciesDropped service-time samples lost because the ring was full
 * @param servedAtStop     faults still queued at stop and served by it
 * @param ioctls           ioctls issued by the service threads, EEXIST races included
 */
public record FaultServiceStats(long faults, long resolved, long failed, int lastErrno, long otherEvents,
                                long latenciesDropped, long servedAtStop, IoctlCounters ioctls) {
    @Override
    public String toString() {
        return "FaultServiceStats[faults=" + faults + " resolved=" + resolved + " failed=" + failed
                + (lastErrno != 0 ? " last=" + Errno.name(lastErrno) : "") + " other=" + otherEvents
                + " eexistRaces=" + ioctls.eexist() + " dropped=" + latenciesDropped + " servedAtStop=" + servedAtStop
                + " " + ioctls + "]";
    }
}
