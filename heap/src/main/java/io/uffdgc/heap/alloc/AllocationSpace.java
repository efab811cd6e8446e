package io.uffdgc.heap.alloc;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The shared bump pointer of a heap: byte offsets from the heap base, [start, top) in use.
 * Mutators claim thread-local buffers (TLABs) and large objects from it with a CAS; the
 * collector moves top back after compaction ({@link #reset}, only inside a safepoint).
 */
public final class AllocationSpace {
    private final long start;
    private final long capacity;
    private final AtomicLong top;

    public AllocationSpace(long start, long capacity) {
        this.start = start;
        this.capacity = capacity;
        this.top = new AtomicLong(start);
    }

    public long start() { return start; }

    public long capacity() { return capacity; }

    public long top() { return top.get(); }

    /** Bytes not yet claimed. */
    public long free() { return capacity - top.get(); }

    /** Claims exactly bytes; returns their offset, or -1 if they do not fit. */
    public long claim(long bytes) {
        for (;;) {
            long cur = top.get();
            if (capacity - cur < bytes) return -1;
            if (top.compareAndSet(cur, cur + bytes)) return cur;
        }
    }

    /**
     * Claims a buffer of at least min and at most preferred bytes (less than preferred only at
     * the end of the heap); returns its offset or -1. Its end is {@link #bufferEnd}(offset, preferred).
     */
    public long claimBuffer(long min, long preferred) {
        for (;;) {
            long cur = top.get();
            if (capacity - cur < min) return -1;
            if (top.compareAndSet(cur, bufferEnd(cur, preferred))) return cur;
        }
    }

    /** End of the buffer {@link #claimBuffer} hands out at offset: a pure function of the offset. */
    public long bufferEnd(long offset, long preferred) {
        return offset + Math.min(preferred, capacity - offset);
    }

    /** Sets top (after compaction). The caller guarantees no buffer is outstanding. */
    public void reset(long newTop) {
        if (newTop < start || newTop > capacity || (newTop & 7) != 0)
            throw new IllegalArgumentException("new top " + newTop + " is not a word offset in [" + start + ", "
                    + capacity + "]");
        top.set(newTop);
    }
}
