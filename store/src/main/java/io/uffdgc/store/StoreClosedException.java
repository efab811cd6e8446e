package io.uffdgc.store;

/** An operation on a store that is closed (or closing). */
public final class StoreClosedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public StoreClosedException(String message) { super(message); }
}
