package io.uffdgc.bench.store;

import io.uffdgc.gc.CycleListener;
import io.uffdgc.gc.CycleStats;
import io.uffdgc.gc.Mode;

/**
 * Tells the operations that met a collection from the others. A counter, written only by the
 * thread that runs the cycle (listeners are called there), is odd while a cycle runs: from
 * concurrent marking's start (or, when marking stops the world, the window's opening) to the
 * cycle's end. An operation read it before starting; it met a cycle if the value was odd then
 * or has changed since, which also catches one that sat in the first pause (it ends after
 * marking started) and a cycle that began and ended while it ran.
 */
public final class CollectionWatch implements CycleListener {
    /** Release: written by the cycle thread; acquired by every operation that reads it. */
    private volatile long state;

    public long state() { return state; }

    /** Whether an operation that read before at its start met a cycle by now. */
    public boolean met(long before) { return (before & 1) != 0 || state != before; }

    private void begin() {
        if ((state & 1) == 0) state = state + 1;   // one writer: no lost update
    }

    @Override public void markingStarted() { begin(); }

    @Override public void windowOpened(Mode mode) { begin(); }

    @Override
    public void cycleCompleted(CycleStats stats) {
        state = state + ((state & 1) != 0 ? 1 : 2);  // a cycle with no window or marking: it still happened
    }
}
