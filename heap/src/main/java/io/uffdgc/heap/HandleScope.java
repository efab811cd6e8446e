package io.uffdgc.heap;

/**
 * Releases every handle its mutator created while it was the innermost open scope.
 * Scopes nest and must be closed innermost first (try-with-resources does that).
 * {@link #escape} keeps one handle alive past the scope: it becomes long-lived and must
 * then be released explicitly.
 */
public final class HandleScope implements AutoCloseable {
    private final Mutator mutator;
    final int mark;
    final int depth;
    private boolean closed;

    HandleScope(Mutator mutator, int mark, int depth) {
        this.mutator = mutator;
        this.mark = mark;
        this.depth = depth;
    }

    /** Takes handle out of this scope so closing it leaves the handle live; returns handle. */
    public long escape(long handle) {
        if (closed) throw new MutatorStateException("handle scope is closed");
        mutator.escape(this, handle);
        return handle;
    }

    @Override
    public void close() {
        if (closed) return;
        mutator.closeScope(this);
        closed = true;
    }
}
