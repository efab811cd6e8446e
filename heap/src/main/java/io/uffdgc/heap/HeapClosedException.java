package io.uffdgc.heap;

/** Use of a heap (or of something that belongs to it) after {@link Heap#close()}. */
public final class HeapClosedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public HeapClosedException(String message) { super(message); }
}
