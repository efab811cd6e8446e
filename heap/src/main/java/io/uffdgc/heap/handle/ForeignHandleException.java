package io.uffdgc.heap.handle;

/** A value that is not a handle of this heap: another heap's handle, or a forged number. */
public final class ForeignHandleException extends HandleException {
    private static final long serialVersionUID = 1L;

    public ForeignHandleException(long handle, String message) { super(handle, message); }
}
