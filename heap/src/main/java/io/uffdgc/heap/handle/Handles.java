package io.uffdgc.heap.handle;

/**
 * What a handle is, as bits. A handle is a long naming one slot of its heap's root table:
 * <pre>
 *   bit 63     zero
 *   bits 48-62 heap id (1..MAX_HEAP_ID): which heap issued it
 *   bits 24-47 generation of the slot when it was issued: a released handle goes stale
 *   bits  0-23 slot index in the heap's root table
 * </pre>
 * {@link #NULL} (0) is the null reference: heap ids start at 1, so no handle is 0.
 */
public final class Handles {
    public static final long NULL = 0L;
    public static final int SLOT_BITS = 24;
    public static final int GEN_BITS = 24;
    public static final int HEAP_ID_BITS = 15;
    public static final int MAX_HANDLES = 1 << SLOT_BITS;
    public static final int MAX_HEAP_ID = (1 << HEAP_ID_BITS) - 1;

    private Handles() {}

    /** Slot index a handle names (no validity check). */
    public static int slotOf(long handle) { return (int) (handle & (MAX_HANDLES - 1)); }

    /** Heap id a handle claims (no validity check). */
    public static int heapIdOf(long handle) { return (int) (handle >>> (SLOT_BITS + GEN_BITS)); }
}
