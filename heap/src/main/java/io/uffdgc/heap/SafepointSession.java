package io.uffdgc.heap;

/**
 * A heap safepoint held open: every attached mutator is stopped at a poll or counted safe,
 * their TLABs retired into fillers, so [start, top) parses. close() resumes them. Close it
 * on the thread that opened it (try-with-resources). A session opened while the thread
 * already holds one is nested: closing it changes nothing.
 */
public final class SafepointSession implements AutoCloseable {
    private final Heap heap;
    private final Mutator self;
    private final long timeToSafepointNanos;
    private final boolean nested;
    private final Thread owner = Thread.currentThread();
    private boolean closed;
    private long releasedNanos;

    SafepointSession(Heap heap, Mutator self, long timeToSafepointNanos, boolean nested) {
        this.heap = heap;
        this.self = self;
        this.timeToSafepointNanos = timeToSafepointNanos;
        this.nested = nested;
    }

    /** How long it took until every mutator was stopped (0 for a nested session). */
    public long timeToSafepointNanos() { return timeToSafepointNanos; }

    public boolean isNested() { return nested; }

    /**
     * System.nanoTime() when close() had woken every stopped mutator: the end of the pause as
     * the mutators see it. A pause measured to a later reading of the clock would also count
     * the time this thread waited for a core after waking them (on 2 busy cores, up to a
     * scheduler slice, several ms). The time close() returned for a nested session.
     *
     * @throws IllegalStateException before close()
     */
    public long releasedNanos() {
        if (!closed) throw new IllegalStateException("safepoint session still open");
        return releasedNanos;
    }

    @Override
    public void close() {
        if (closed) return;
        if (Thread.currentThread() != owner)
            throw new MutatorStateException("safepoint session opened by thread '" + owner.getName()
                    + "' must be closed by it, not by '" + Thread.currentThread().getName() + "'");
        closed = true;
        releasedNanos = nested ? System.nanoTime() : heap.endSafepoint(self);
    }
}
