package io.uffdgc.uffd.service;

import org.agrona.collections.LongArrayList;

/**
 * The faults a {@link FaultService} served in one interval, one entry each: when it began
 * (ns of {@link System#nanoTime()}), how long it took and its page ({@code ugc_fault_record}
 * in ugc_service.h says what the time spans in each kind of service). Three primitive
 * columns, no object per fault. Kept only while {@link FaultService#keepFaultLog} is on.
 */
public final class FaultLog {
    /** No faults: the log of an interval while the log is off. */
    public static final FaultLog EMPTY = new FaultLog(new LongArrayList(), new LongArrayList(), new LongArrayList(), 0);

    private final LongArrayList starts, stalls, pages;
    private final long dropped;

    private FaultLog(LongArrayList starts, LongArrayList stalls, LongArrayList pages, long dropped) {
        this.starts = starts;
        this.stalls = stalls;
        this.pages = pages;
        this.dropped = dropped;
    }

    public int size() { return starts.size(); }

    public long startNanos(int i) { return starts.getLong(i); }

    public long stallNanos(int i) { return stalls.getLong(i); }

    /** The faulting page's address. */
    public long page(int i) { return pages.getLong(i); }

    /** Faults of the interval the log lacks: the service's ring was full when they were served. */
    public long dropped() { return dropped; }

    /** Collects one interval's faults; {@link #take} hands them out and starts the next. */
    static final class Builder {
        private LongArrayList starts = new LongArrayList(), stalls = new LongArrayList(), pages = new LongArrayList();

        void add(long start, long stall, long page) {
            starts.addLong(start);
            stalls.addLong(stall);
            pages.addLong(page);
        }

        FaultLog take(long dropped) {
            FaultLog log = new FaultLog(starts, stalls, pages, dropped);
            starts = new LongArrayList();
            stalls = new LongArrayList();
            pages = new LongArrayList();
            return log;
        }
    }
}
