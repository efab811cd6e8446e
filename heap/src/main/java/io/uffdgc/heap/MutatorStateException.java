package io.uffdgc.heap;

/**
 * A mutator used where it may not be: from another thread, after detaching, inside a
 * blocking region or its own safepoint session, or scopes closed out of order.
 */
public final class MutatorStateException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public MutatorStateException(String message) { super(message); }
}
