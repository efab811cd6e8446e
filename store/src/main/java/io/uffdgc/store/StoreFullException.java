package io.uffdgc.store;

/**
 * A write that does not fit the heap even after a collection. The store is unchanged: the
 * entry that did not fit was never linked in.
 */
public final class StoreFullException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public StoreFullException(String message, Throwable cause) { super(message, cause); }
}
