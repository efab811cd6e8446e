package io.uffdgc.heap.handle;

/** A handle of this heap whose slot was released (its generation moved on) or was never issued. */
public final class StaleHandleException extends HandleException {
    private static final long serialVersionUID = 1L;

    public StaleHandleException(long handle, String message) { super(handle, message); }
}
