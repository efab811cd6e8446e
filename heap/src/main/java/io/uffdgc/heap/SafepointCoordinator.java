package io.uffdgc.heap;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.HdrHistogram.Histogram;

/**
 * The heap-safepoint protocol between one requester (the collector) and the attached mutators.
 *
 * <p>Each mutator publishes a volatile state: RUNNING (may touch the heap), SAFE (detached
 * from the heap for a while: blocking region), STOPPED (parked at a poll). The requester sets
 * {@link #requested}, then waits until no mutator is RUNNING. Both sides write their own
 * variable and then read the other's (volatile, so sequentially consistent): a mutator that
 * goes back to RUNNING and then sees no request cannot have been counted as stopped by a
 * requester that set the flag after it. Stopped mutators park; the requester parks between
 * checks and is unparked by each mutator that stops.
 */
final class SafepointCoordinator {
    static final int RUNNING = 0, SAFE = 1, STOPPED = 2, DETACHED = 3;
    private static final long RECHECK_NANOS = 200_000;

    /** The poll: mutators read this on every allocation and handle creation. */
    volatile boolean requested;
    private volatile Thread requester;
    private final ReentrantLock lock = new ReentrantLock();
    private final CopyOnWriteArrayList<Mutator> mutators = new CopyOnWriteArrayList<>();
    private final Histogram timeToSafepoint = new Histogram(3);

    void register(Mutator m) { mutators.add(m); }

    void unregister(Mutator m) {
        mutators.remove(m);
        wakeRequester();
    }

    List<Mutator> mutators() { return mutators; }

    Mutator mutatorOf(Thread t) {
        for (Mutator m : mutators) if (m.owner == t) return m;
        return null;
    }

    boolean heldByCurrentThread() { return lock.isHeldByCurrentThread(); }

    void wakeRequester() {
        Thread r = requester;
        if (r != null) LockSupport.unpark(r);
    }

    /** Mutator side: park here until no safepoint is requested. Called by the mutator's own thread. */
    void stopAtSafepoint(Mutator m) {
        // park() returns at once for an interrupted thread: keep the interrupt aside so a stopped
        // mutator parks instead of spinning, and give it back on the way out.
        boolean interrupted = Thread.interrupted();
        for (;;) {
            m.state = STOPPED;
            wakeRequester();
            while (requested) {
                LockSupport.park(this);
                interrupted |= Thread.interrupted();
            }
            m.state = RUNNING;
            if (!requested) break;
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    void lock() { lock.lock(); }

    void unlock() { lock.unlock(); }

    /**
     * Requester side, lock held: requests the safepoint and waits until every mutator is
     * stopped or safe. Returns the time that took. On timeout, withdraws the request.
     */
    long stopAll(long timeoutNanos) {
        long t0 = System.nanoTime();
        boolean interrupted = Thread.interrupted(); // as in stopAtSafepoint: wait parked, not spinning
        requester = Thread.currentThread();
        requested = true;
        try {
            interrupted |= awaitNoneRunning(t0, timeoutNanos);
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
        long ttsp = System.nanoTime() - t0;
        synchronized (timeToSafepoint) { timeToSafepoint.recordValue(ttsp); }
        for (Mutator m : mutators) m.retireTlab();
        return ttsp;
    }

    /** Returns whether the thread was interrupted meanwhile (the interrupt is cleared to keep parking). */
    private boolean awaitNoneRunning(long t0, long timeoutNanos) {
        boolean interrupted = false;
        for (;;) {
            List<Mutator> running = running();
            if (running.isEmpty()) return interrupted;
            long waited = System.nanoTime() - t0;
            if (waited >= timeoutNanos) {
                resumeAll();
                throw new SafepointTimeoutException(running.size() + " mutator(s) did not reach the heap safepoint within "
                        + timeoutNanos / 1_000_000 + " ms: threads " + running.stream().map(m -> "'" + m.owner.getName() + "'").toList()
                        + " (a mutator polls on allocation, handle creation and safepoint(); long loops without those"
                        + " should run in a blocking region)");
            }
            LockSupport.parkNanos(this, Math.min(RECHECK_NANOS, timeoutNanos - waited));
            interrupted |= Thread.interrupted();
        }
    }

    private List<Mutator> running() {
        List<Mutator> r = new ArrayList<>(0);
        // A mutator whose thread died without detaching can never poll again: it counts as safe.
        for (Mutator m : mutators) if (m.state == RUNNING && m.owner.isAlive()) r.add(m);
        return r;
    }

    /** Requester side: withdraws the request and wakes every stopped mutator. Lock still held. */
    void resumeAll() {
        requested = false;
        requester = null;
        for (Mutator m : mutators) LockSupport.unpark(m.owner);
    }

    /** A copy of the time-to-safepoint histogram, in nanoseconds. */
    Histogram timeToSafepoint() {
        synchronized (timeToSafepoint) { return timeToSafepoint.copy(); }
    }
}
