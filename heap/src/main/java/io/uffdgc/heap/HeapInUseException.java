package io.uffdgc.heap;

/** {@link Heap#close()} while mutators are still attached. The heap stays open and usable. */
public final class HeapInUseException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public HeapInUseException(String message) { super(message); }
}
