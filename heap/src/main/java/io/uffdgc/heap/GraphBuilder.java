package io.uffdgc.heap;

import io.uffdgc.heap.handle.Handles;
import io.uffdgc.heap.layout.ArrayLayout;

/**
 * Builds an object graph with forward references without a handle per object: each object
 * added gets a dense index (0, 1, 2, ... in the order added), and references are wired by
 * index once both ends exist. The index is a stable name for the object while the builder is
 * open: it survives any number of collections and compactions in between.
 *
 * <p>The index is itself in the managed heap: a reference array (the spine) of chunk arrays
 * of {@value #CHUNK} references each, all allocated when the builder is made and reached
 * from one handle. It costs 4 bytes per object plus a header per chunk, and it keeps every
 * added object alive until {@link #close()}, which releases the spine: from then on only
 * what the caller still reaches (its own handles and whatever they reach) is live. The
 * builder holds four handles however large the graph; objects handed to {@link #add} need
 * no handle beyond that call.
 *
 * <p>Confined to its mutator's thread, as the mutator is. Every method checks its input:
 * an index not yet added or beyond the capacity, a builder already closed, a handle that is
 * null, stale or of another heap, a slot the object does not have: each is an exception
 * naming the problem, and the heap is left as it was.
 */
public final class GraphBuilder implements AutoCloseable {
    /** References per chunk: 256 KiB arrays, small enough for the compactor to move like any object. */
    public static final int CHUNK = 1 << 16;
    private static final int CHUNK_SHIFT = Integer.numberOfTrailingZeros(CHUNK);

    private final Mutator m;
    private final int capacity;
    /** The spine; a scratch handle for a chunk; two for the ends of a reference being wired. */
    private final long spine, chunk, from, to;
    private int size;
    private boolean closed;

    /**
     * A builder for up to capacity objects, allocated now with m (a safepoint poll; may
     * collect). Needs about 4 × capacity bytes of heap.
     */
    public GraphBuilder(Mutator m, int capacity) {
        if (capacity < 0) throw new IllegalArgumentException("graph builder capacity " + capacity + " is negative");
        this.m = m;
        this.capacity = capacity;
        int chunks = (int) (((long) capacity + CHUNK - 1) >>> CHUNK_SHIFT);
        this.spine = m.newRefArray(chunks);
        long c = Handles.NULL, f = Handles.NULL, t = Handles.NULL;
        try {
            for (int i = 0; i < chunks; i++) {
                int len = Math.min(CHUNK, capacity - (i << CHUNK_SHIFT));
                long h = m.newRefArray(len);
                m.putRefElement(spine, i, h);
                m.release(h);
            }
            // Scratch handles must name some object to be retargeted: the spine will do.
            c = m.duplicate(spine);
            f = m.duplicate(spine);
            t = m.duplicate(spine);
        } catch (RuntimeException e) {
            for (long h : new long[] {c, f, t, spine}) if (h != Handles.NULL) m.release(h);
            throw e;
        }
        this.chunk = c;
        this.from = f;
        this.to = t;
    }

    /** Objects added so far; the next {@link #add} returns this index. */
    public int size() { return size; }

    public int capacity() { return capacity; }

    /** Records the object handle names (the caller keeps its handle and may release it) and returns its index. */
    public int add(long handle) {
        checkOpen();
        if (size == capacity)
            throw new IllegalStateException("graph builder is full: it was made for " + capacity + " objects");
        if (handle == Handles.NULL) throw new IllegalArgumentException("cannot add the null reference to a graph builder");
        m.getRefElementInto(spine, size >>> CHUNK_SHIFT, chunk);
        m.putRefElement(chunk, size & (CHUNK - 1), handle);
        return size++;
    }

    /** Points the live handle target at the object of index (no new handle). */
    public void at(int index, long target) {
        resolve(index, target);
    }

    /** A new handle on the object of index (in the mutator's innermost scope, if one is open). */
    public long handle(int index) {
        resolve(index, from);
        return m.duplicate(from);
    }

    /** Stores the object of index dst into reference slot of the record of index src. */
    public void putRef(int src, int slot, int dst) {
        resolve(src, from);
        resolve(dst, to);
        m.putRef(from, slot, to);
    }

    /** Stores the object of index dst into element of the reference array of index src. */
    public void putRefElement(int src, int element, int dst) {
        resolve(src, from);
        resolve(dst, to);
        m.putRefElement(from, element, to);
    }

    private void resolve(int index, long target) {
        checkOpen();
        if (index < 0 || index >= size)
            throw new IndexOutOfBoundsException("graph index " + index + " not added: " + size + " of " + capacity
                    + " objects added so far");
        m.getRefElementInto(spine, index >>> CHUNK_SHIFT, chunk);
        m.getRefElementInto(chunk, index & (CHUNK - 1), target);
    }

    private void checkOpen() {
        if (closed) throw new IllegalStateException("graph builder is closed");
    }

    /** Releases the index: added objects stay alive only as far as the caller's handles reach them. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        for (long h : new long[] {to, from, chunk, spine}) m.release(h);
    }

    /** Heap bytes a builder for capacity objects allocates (spine and chunks, headers included). */
    public static long indexBytes(int capacity) {
        long chunks = ((long) capacity + CHUNK - 1) >>> CHUNK_SHIFT;
        long full = (long) capacity >>> CHUNK_SHIFT, rest = capacity & (CHUNK - 1);
        return ArrayLayout.REF.sizeBytes(chunks) + full * ArrayLayout.REF.sizeBytes(CHUNK)
                + (rest > 0 ? ArrayLayout.REF.sizeBytes(rest) : 0);
    }
}
