package io.uffdgc.heap;

/**
 * The one state machine of a {@link Mutator}: whether its thread may touch the heap now, and
 * what a safepoint requester may assume about it ({@link SafepointCoordinator} states the
 * protocol as numbered guarantees; G1..G3 below refer to them).
 *
 * <p>The state lives in {@code Mutator.state}. Only the owner thread writes it (the
 * exceptions are the last two rows), always with a volatile write or a compare-and-set; the
 * owner reads it plainly (a thread sees its own writes, and nobody else writes it while the
 * owner may touch the heap), every other thread with a volatile read. Every transition is
 * one method of Mutator, named in the table.
 *
 * <pre>
 * from     -> to        by     method (caller)                  the volatile write publishes; who reads it
 * RUNNING  -> STOPPED   owner  stopAtPoll (a poll saw the       the owner's writes so far (heap, root table,
 *                              request: stopAtSafepoint)        TLAB bounds); the requester's wait (G2)
 * STOPPED  -> RUNNING   owner  resumeAfterPoll                  nothing new; then the owner reads requested
 *                              (stopAtSafepoint)                again, stopping again if it is set (G1)
 * RUNNING  -> BLOCKED   owner  block (outermost enterBlocking)  as RUNNING -> STOPPED (G2); also unparks
 *                                                               the requester
 * BLOCKED  -> RUNNING   owner  unblock (outermost exitBlocking) then the owner polls, so it cannot touch
 *                                                               the heap during a safepoint (G1, G3)
 * RUNNING  -> DETACHED  owner  detachNow (close)                scope handles released, TLAB retired,
 *                                                               slots returned; the requester's wait (G2)
 * BLOCKED  -> DETACHED  any    detachIfBlocked (Heap.           as above; a compare-and-set that races the
 *                              detachBlocked, safepoint lock)   owner's unblock (also a CAS): one wins
 * any      -> DETACHED  Heap.close(), for a mutator whose       as above; the owner is dead, nobody else
 *                       thread died attached (safepoint lock    writes the state
 *                       held)
 * </pre>
 *
 * <p>BLOCKED covers every reason the owner leaves the heap alone while it runs: a blocking
 * region, a collection hook running, and the owner's own safepoint session.
 */
enum MutatorState {
    /** May touch the heap and, between two polls, hold raw addresses. The state after attach. */
    RUNNING,
    /** Parked at a poll until the safepoint ends; holds no raw address. Counts as safe. */
    STOPPED,
    /** Inside a blocking region: leaves the heap alone and counts as safe; polls when it leaves. */
    BLOCKED,
    /** Detached for good: every heap access throws; safepoints no longer wait for it. */
    DETACHED
}
