package io.uffdgc.heap;

/**
 * {@link Heap#create} while every heap id is held by an open heap: a handle names its heap in
 * 15 bits, so at most {@link io.uffdgc.heap.handle.Handles#MAX_HEAP_ID} heaps can be open at once.
 */
public final class TooManyHeapsException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public TooManyHeapsException(String message) { super(message); }
}
