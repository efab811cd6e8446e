package io.uffdgc.heap.handle;

/** The null handle (0) where an object is required. */
public final class NullHandleException extends HandleException {
    private static final long serialVersionUID = 1L;

    public NullHandleException(String message) { super(Handles.NULL, message); }
}
