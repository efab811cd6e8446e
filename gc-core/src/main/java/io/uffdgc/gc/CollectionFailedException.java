package io.uffdgc.gc;

/** A cycle could not complete (the heap was closed under it, or the window never closed). */
public class CollectionFailedException extends RuntimeException {
    public CollectionFailedException(String message) { super(message); }

    public CollectionFailedException(String message, Throwable cause) { super(message, cause); }
}
