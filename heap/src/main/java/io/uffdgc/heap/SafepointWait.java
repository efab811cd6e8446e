package io.uffdgc.heap;

import java.time.Duration;
import java.util.Objects;

/**
 * How a requester waits for the heap safepoint ({@link Heap#stopTheWorld(SafepointWait)}):
 * after {@code limit} the mutators still running are named, with what their threads are doing,
 * and then either the wait goes on ({@link OnLimit#REPORT}: logged at WARNING on the logger
 * {@value #LOGGER}, again after 2, 4, 8... times the limit) or it gives up
 * ({@link OnLimit#FAIL}: every mutator resumes and {@link SafepointTimeoutException} is thrown).
 *
 * <p>A mutator reaches the safepoint on its next poll (allocation, handle creation,
 * safepoint(), leaving a blocking region). One that waits for another thread outside a
 * blocking region, e.g. joins the thread that is collecting, never polls: the report says so
 * instead of a silent hang. REPORT is the default because a slow but correct mutator, one in a
 * long loop between polls, must never turn into a failed cycle.
 */
public record SafepointWait(Duration limit, OnLimit onLimit) {
    /** The System.Logger name of the reports. */
    public static final String LOGGER = "io.uffdgc.heap.Safepoint";

    /** What happens when the limit passes. */
    public enum OnLimit { REPORT, FAIL }

    /** Report stragglers after one second, and keep waiting. */
    public static final SafepointWait DEFAULT = new SafepointWait(Duration.ofSeconds(1), OnLimit.REPORT);

    public SafepointWait {
        Objects.requireNonNull(limit, "limit");
        Objects.requireNonNull(onLimit, "onLimit");
        if (limit.isNegative() || limit.isZero())
            throw new IllegalArgumentException("safepoint limit must be positive, not " + limit);
    }

    /** Gives up after limit. */
    public static SafepointWait failAfter(Duration limit) { return new SafepointWait(limit, OnLimit.FAIL); }

    /** Reports after limit and keeps waiting. */
    public static SafepointWait reportAfter(Duration limit) { return new SafepointWait(limit, OnLimit.REPORT); }

    long limitNanos() {
        try {
            return limit.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }
}
