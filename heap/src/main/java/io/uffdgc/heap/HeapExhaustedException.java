package io.uffdgc.heap;

/** An allocation that does not fit even after the collection hook ran. The heap stays valid. */
public final class HeapExhaustedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final long requestedBytes;
    private final long capacity;
    private final long liveBytes;

    public HeapExhaustedException(String heapName, long requestedBytes, long capacity, long liveBytes) {
        super("heap '" + heapName + "' exhausted: cannot allocate " + requestedBytes + " bytes; capacity " + capacity
                + " bytes, live after the last collection: " + (liveBytes < 0 ? "unknown (no collection yet)" : liveBytes + " bytes"));
        this.requestedBytes = requestedBytes;
        this.capacity = capacity;
        this.liveBytes = liveBytes;
    }

    public long requestedBytes() { return requestedBytes; }

    public long capacity() { return capacity; }

    /** Live bytes the last collection reported, or -1 if none ran. */
    public long liveBytes() { return liveBytes; }
}
