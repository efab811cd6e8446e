package io.uffdgc.heap;

import io.uffdgc.heap.handle.Handles;
import io.uffdgc.uffd.gen.Uffdgc;

/**
 * How to build a heap.
 *
 * @param name       shown in error messages
 * @param capacity   bytes reserved (MAP_NORESERVE: untouched pages cost nothing); a positive
 *                   multiple of 2 MiB, at most UGC_MAX_HEAP_BYTES (what 32-bit word offsets reach)
 * @param tlabBytes  size of a mutator's allocation buffer; an object that does not fit what is
 *                   left of it and is at least a quarter of it is allocated directly from the
 *                   shared top
 * @param maxHandles root-table slots (live handles at once); reserved, committed as used
 */
public record HeapConfig(String name, long capacity, int tlabBytes, int maxHandles) {
    public static final long TWO_MIB = 2L << 20;
    public static final long DEFAULT_CAPACITY = 1L << 30;
    public static final int DEFAULT_TLAB_BYTES = 32 << 10;
    public static final int DEFAULT_MAX_HANDLES = 1 << 20;
    public static final int MIN_TLAB_BYTES = 256;

    public HeapConfig {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("heap name must not be null or blank");
        if (capacity <= 0 || capacity % TWO_MIB != 0)
            throw new IllegalArgumentException("heap capacity " + capacity + " is not a positive multiple of 2 MiB");
        if (capacity > Uffdgc.UGC_MAX_HEAP_BYTES())
            throw new IllegalArgumentException("heap capacity " + capacity + " exceeds " + Uffdgc.UGC_MAX_HEAP_BYTES()
                    + " bytes, the most 32-bit word-offset references can address");
        if (tlabBytes < MIN_TLAB_BYTES || tlabBytes % 8 != 0 || tlabBytes > capacity)
            throw new IllegalArgumentException("TLAB size " + tlabBytes + " is not a multiple of 8 in [" + MIN_TLAB_BYTES
                    + ", capacity]");
        if (maxHandles < 1 || maxHandles > Handles.MAX_HANDLES)
            throw new IllegalArgumentException("maxHandles " + maxHandles + " is not in [1, " + Handles.MAX_HANDLES + "]");
    }

    /** 1 GiB, 32 KiB TLABs, 1 Mi handles. */
    public static HeapConfig defaults() {
        return new HeapConfig("heap", DEFAULT_CAPACITY, DEFAULT_TLAB_BYTES, DEFAULT_MAX_HANDLES);
    }

    public HeapConfig withName(String n) { return new HeapConfig(n, capacity, tlabBytes, maxHandles); }

    public HeapConfig withCapacity(long c) { return new HeapConfig(name, c, tlabBytes, maxHandles); }

    public HeapConfig withTlabBytes(int t) { return new HeapConfig(name, capacity, t, maxHandles); }

    public HeapConfig withMaxHandles(int m) { return new HeapConfig(name, capacity, tlabBytes, m); }
}
