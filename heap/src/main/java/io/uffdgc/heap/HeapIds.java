package io.uffdgc.heap;

import io.uffdgc.heap.handle.Handles;
import java.util.BitSet;

/**
 * The heap ids in use. A handle carries its heap's id (15 bits, {@link Handles}), and the
 * handle table rejects a handle whose id is not its own: that check is only sound if no two
 * open heaps ever share an id. Ids are handed out round-robin from a cursor, so the id of a
 * closed heap comes back only after every other id was handed out once: a handle that outlived
 * its heap is reported as foreign for as long as the 15 bits allow.
 */
final class HeapIds {
    private static final BitSet IN_USE = new BitSet(Handles.MAX_HEAP_ID + 1);
    private static int cursor;       // the id handed out last; the search starts after it
    private static int open;

    private HeapIds() {}

    /** A free id in 1..MAX_HEAP_ID, now in use; {@link TooManyHeapsException} if every id is. */
    static synchronized int acquire() {
        if (open == Handles.MAX_HEAP_ID)
            throw new TooManyHeapsException("cannot create a heap: all " + Handles.MAX_HEAP_ID
                    + " heap ids are in use by open heaps; close a heap first");
        int id = IN_USE.nextClearBit(cursor + 1);
        if (id > Handles.MAX_HEAP_ID) id = IN_USE.nextClearBit(1);
        IN_USE.set(id);
        cursor = id;
        open++;
        return id;
    }

    /** Gives id back once its heap's tables are unmapped and none of its handles can resolve. */
    static synchronized void release(int id) {
        if (!IN_USE.get(id)) throw new IllegalStateException("heap id " + id + " released twice");
        IN_USE.clear(id);
        open--;
    }

    /** Open heaps, for tests and diagnostics. */
    static synchronized int open() { return open; }
}
