package io.uffdgc.heap;

import io.uffdgc.uffd.NativeLibrary;
import io.uffdgc.uffd.gen.Uffdgc;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.HdrHistogram.Histogram;

/**
 * The heap-safepoint protocol between a requester (a thread in {@link Heap#stopTheWorld}:
 * the collector, the verifier, a collection hook) and the attached mutators. The mutator's
 * side is its {@link MutatorState} (RUNNING, STOPPED, BLOCKED, DETACHED; the transitions are
 * tabled there); the requester's side is {@link #requested}.
 *
 * <p>Assumptions:
 * <ol>
 *   <li>One requester at a time: it holds {@link #lock} from {@link #stopAll} until after
 *       {@link #resumeAll}.</li>
 *   <li>Only a mutator's owner thread writes its state, always with a volatile write; the
 *       exceptions are Heap.close(), which detaches a mutator whose thread died attached, and
 *       Heap.detachBlocked(), which detaches a BLOCKED one with a compare-and-set that the
 *       owner's leaving BLOCKED (also a compare-and-set) races; both hold {@link #lock}.</li>
 *   <li>A mutator touches the heap only while RUNNING; it reads {@link #requested} (polls)
 *       on every allocation, handle creation, safepoint(), attach and exit from a blocking
 *       region, and holds no raw address across a poll.</li>
 * </ol>
 *
 * <p>Guarantees:
 * <ol>
 *   <li>(G1) Once {@link #stopAll} returns, no attached mutator touches the heap until
 *       {@link #resumeAll}. The requester writes requested = true, then reads every state;
 *       a mutator that leaves STOPPED or BLOCKED writes RUNNING, then reads requested. All
 *       four accesses are volatile, so they fall in one total order: either the requester
 *       sees RUNNING and keeps waiting, or the mutator sees the request and stops before it
 *       touches the heap.</li>
 *   <li>(G2) Everything a mutator wrote (heap, root table, TLAB bounds) before it published
 *       STOPPED, BLOCKED or DETACHED happens-before everything the requester does after it
 *       read that state: the TLAB retirement here, the verifier, the collector.</li>
 *   <li>(G3) Everything the requester wrote before {@link #resumeAll} (which writes
 *       requested = false) happens-before a stopped or blocked mutator's next heap access:
 *       it gets there only through a read of requested that returned false.</li>
 *   <li>(G4) A thread that attaches during a safepoint is registered RUNNING and polls
 *       before attach() returns, so it stops before it can touch the heap; a requester still
 *       waiting waits for it as well.</li>
 *   <li>(G5) A mutator whose thread died attached counts as safe: it can never poll again.</li>
 *   <li>(G6) Both sides wait asleep. A stopped mutator sleeps in the {@link #gate} barrier
 *       until resumeAll disarms it, which wakes every stopped mutator with one futex call (as
 *       HotSpot ends its safepoints), interrupted or not (an interrupt is left set, unread);
 *       a virtual thread parks instead (not to pin its carrier) and resumeAll unparks it.
 *       Unparking them one by one let the first one woken take the requester's core before
 *       the next was woken: 0.7-1.3 ms until the last one was, measured on 2 cores. The
 *       requester parks, is unparked by every mutator that stops, blocks or detaches, and
 *       rechecks every RECHECK_NANOS anyway (a thread that dies unparks nobody).</li>
 *   <li>(G7) When a FAIL wait times out, the request is withdrawn and every stopped mutator
 *       resumes; the SafepointTimeoutException names the threads that were still RUNNING.</li>
 *   <li>(G8) When stopAll returns, every attached mutator's TLAB is retired into a filler, so
 *       [start, top) parses, and one time-to-safepoint sample has been recorded.</li>
 *   <li>(G9) A wait never hangs silently: after the {@link SafepointWait} limit, and after each
 *       doubling of it, the mutators still RUNNING are named with their threads' state and
 *       stack top; REPORT logs that and keeps waiting, FAIL throws it (G7).</li>
 * </ol>
 */
final class SafepointCoordinator {
    private static final long RECHECK_NANOS = 200_000;
    private static final System.Logger REPORTS = System.getLogger(SafepointWait.LOGGER);

    /**
     * The request. Volatile: written by the requester (true in stopAll, false in resumeAll),
     * read by every poll; it pairs with the mutators' state writes (G1, G3).
     */
    volatile boolean requested;
    /**
     * Whom a mutator that stops, blocks or detaches unparks (G6). Written before requested =
     * true, so a mutator that sees the request sees the requester too.
     */
    private volatile Thread requester;
    private final ReentrantLock lock = new ReentrantLock();
    /**
     * Where stopped mutators sleep (ugc_barrier_*, uffdgc.h): armed with a new nonzero tag
     * before requested = true, disarmed after requested = false. Sleeping in a downcall is
     * safe for the JVM (a thread in native code is at a JVM safepoint) and needs nothing the
     * collector could be waiting for. Its memory lives as long as this object.
     */
    private final MemorySegment gate = Arena.ofAuto().allocate(ValueLayout.JAVA_INT);
    private final MemorySegment wakeNanos = Arena.ofAuto().allocate(ValueLayout.JAVA_LONG); // ugc_barrier_disarm's out
    private int tag; // the last tag armed; the requester's, under lock

    SafepointCoordinator() {
        // Links the barrier's downcalls and makes their first calls now (harmless on a word
        // nobody sleeps on), not in the heap's first pause: ~2.5 ms each, measured on JDK 25.
        NativeLibrary.load();
        Uffdgc.ugc_barrier_wait(gate);
        Uffdgc.ugc_barrier_arm(gate, 0);
        Uffdgc.ugc_barrier_disarm(gate, wakeNanos);
    }
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

    /** Mutator side: sleep here until no safepoint is requested. Called by the mutator's own thread, RUNNING. */
    void stopAtSafepoint(Mutator m) {
        // A virtual thread parks instead of sleeping in the gate: asleep in a downcall it would
        // pin its carrier, and with as many stopped virtual mutators as carriers the running
        // ones could never get one to reach their poll. park() returns at once for an
        // interrupted thread: its interrupt is kept aside meanwhile and given back (G6).
        boolean virtual = Thread.currentThread().isVirtual();
        boolean interrupted = virtual && Thread.interrupted();
        for (;;) {
            m.stopAtPoll();
            wakeRequester();
            // Returns once the gate is disarmed (or at once if it already was): the requester
            // wrote requested = false before it disarmed, so this loop then ends (G3).
            while (requested) {
                if (!virtual) {
                    Uffdgc.ugc_barrier_wait(gate);
                } else {
                    LockSupport.park(this);
                    interrupted |= Thread.interrupted();
                }
            }
            m.resumeAfterPoll();
            if (!requested) break; // G1: RUNNING is written, now the request is read once more
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    void lock() { lock.lock(); }

    void unlock() { lock.unlock(); }

    /**
     * Requester side, lock held: requests the safepoint and waits until no mutator is RUNNING
     * (G1), then retires the TLABs (G8). Returns the time the wait took. After wait's limit it
     * names the stragglers (G9) and, for FAIL, withdraws the request (G7).
     */
    long stopAll(SafepointWait wait, String heapName) {
        long t0 = System.nanoTime();
        boolean interrupted = Thread.interrupted(); // park() returns at once if interrupted: wait parked, not spinning
        requester = Thread.currentThread();
        tag = tag == Integer.MAX_VALUE ? 1 : tag + 1;
        Uffdgc.ugc_barrier_arm(gate, tag); // before the request: a mutator that sees it finds the gate armed
        requested = true;
        try {
            interrupted |= awaitNoneRunning(t0, wait, heapName);
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
        long ttsp = System.nanoTime() - t0;
        synchronized (timeToSafepoint) { timeToSafepoint.recordValue(ttsp); }
        for (Mutator m : mutators) m.tlab.retire(); // G2: each owner's TLAB writes happen-before this
        return ttsp;
    }

    /** Returns whether the thread was interrupted meanwhile (the interrupt is cleared to keep parking). */
    private boolean awaitNoneRunning(long t0, SafepointWait wait, String heapName) {
        boolean interrupted = false;
        long limit = wait.limitNanos(), nextReport = limit;
        for (;;) {
            List<Mutator> running = running();
            if (running.isEmpty()) return interrupted;
            long waited = System.nanoTime() - t0;
            if (waited >= nextReport) {
                String stragglers = SafepointStragglers.describe(heapName, running, waited);
                if (wait.onLimit() == SafepointWait.OnLimit.FAIL) {
                    resumeAll();
                    throw new SafepointTimeoutException(stragglers);
                }
                REPORTS.log(System.Logger.Level.WARNING, stragglers + "; still waiting");
                nextReport = nextReport > Long.MAX_VALUE / 2 ? Long.MAX_VALUE : nextReport * 2;
            }
            LockSupport.parkNanos(this, Math.min(RECHECK_NANOS, nextReport - waited));
            interrupted |= Thread.interrupted();
        }
    }

    private List<Mutator> running() {
        List<Mutator> r = new ArrayList<>(0);
        // A mutator whose thread died without detaching can never poll again: it counts as safe (G5).
        for (Mutator m : mutators) if (m.state() == MutatorState.RUNNING && m.owner.isAlive()) r.add(m);
        return r;
    }

    /**
     * Requester side: withdraws the request and wakes every stopped mutator, all with one
     * system call (G6). Lock still held. Returns the System.nanoTime() at which they were
     * woken: where the safepoint ends for the mutators (as HotSpot's ends when it is disarmed
     * and its threads woken). Read after the wake, the clock would count the time this thread
     * then waits for a core the mutators took: on 2 cores and 2 mutators, up to 8 ms measured.
     */
    long resumeAll() {
        requested = false;
        requester = null;
        int woken = Uffdgc.ugc_barrier_disarm(gate, wakeNanos);
        for (Mutator m : mutators) if (m.owner.isVirtual()) LockSupport.unpark(m.owner); // parked, not in the gate
        // FUTEX_WAKE fails only for a bad address; the sleepers then still see the disarmed
        // word within ugc_barrier_wait's recheck, so this is reported, not thrown.
        if (woken < 0) REPORTS.log(System.Logger.Level.ERROR, "ugc_barrier_disarm: errno " + -woken);
        return wakeNanos.get(ValueLayout.JAVA_LONG, 0);
    }

    /** A copy of the time-to-safepoint histogram, in nanoseconds. */
    Histogram timeToSafepoint() {
        synchronized (timeToSafepoint) { return timeToSafepoint.copy(); }
    }
}
