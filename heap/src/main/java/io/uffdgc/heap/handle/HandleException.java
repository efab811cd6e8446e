package io.uffdgc.heap.handle;

/** A handle that cannot be used: released, never issued, from another heap, or null. */
public abstract sealed class HandleException extends IllegalArgumentException
        permits StaleHandleException, ForeignHandleException, NullHandleException {
    private static final long serialVersionUID = 1L;
    private final long handle;

    HandleException(long handle, String message) {
        super(message);
        this.handle = handle;
    }

    public long handle() { return handle; }
}
