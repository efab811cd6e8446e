package io.uffdgc.heap.handle;

/** Every slot of the root table holds a live handle; release some (or close scopes) first. */
public final class HandleTableFullException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public HandleTableFullException(String message) { super(message); }
}
