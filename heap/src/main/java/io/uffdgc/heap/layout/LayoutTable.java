package io.uffdgc.heap.layout;

import io.uffdgc.uffd.gen.Uffdgc;
import io.uffdgc.uffd.gen.ugc_heap;
import io.uffdgc.uffd.gen.ugc_layout;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A heap's layout table, kept twice: as ugc_layout[UGC_MAX_LAYOUTS] in native memory,
 * which the C collector reads (through the descriptor's layouts/nlayouts), and as flat
 * Java arrays indexed by layout id, which the mutator's access checks read without
 * touching native memory. The native table never moves (it is reserved at full size,
 * pages committed as entries are written), so it never needs a safepoint to grow; the
 * Java arrays start small and are replaced by larger copies as records are defined
 * (a table of 2^20 layouts would otherwise cost every heap some 16 MiB of Java heap).
 *
 * <p>Names are labels, not keys: every {@link #defineRecord} makes a new layout with an id
 * of its own, even for a name already in use. A layout is what the header stores, its id;
 * the names a caller brings come from namespaces the heap cannot know (one class name
 * from two class loaders), so the heap does not pretend to resolve them.
 */
public final class LayoutTable {
    public static final int MAX_LAYOUTS = Uffdgc.UGC_MAX_LAYOUTS();
    public static final int FIRST_RECORD = Uffdgc.UGC_LAYOUT_FIRST_RECORD();
    /** Native bytes the table needs: the caller reserves them. */
    public static final long NATIVE_BYTES = MAX_LAYOUTS * ugc_layout.sizeof();
    private static final int INITIAL_CAPACITY = 256;

    /**
     * The Java copy, replaced whole when it grows. Final fields: a thread that reads the
     * reference (plainly, on the access-check path) sees arrays at least as complete as when
     * this copy was made; an entry written since is seen after {@link #synchronize()}.
     * An id beyond the arrays is "not defined (yet)", like a -1 entry.
     */
    private record Checks(Layout[] byId, int[] dataBytes, int[] dataOffset, int[] refs) {
        static Checks of(int capacity) {
            int[] bytes = new int[capacity], refs = new int[capacity];
            Arrays.fill(bytes, -1);
            Arrays.fill(refs, -1);
            return new Checks(new Layout[capacity], bytes, new int[capacity], refs);
        }

        Checks grow(int capacity) {
            Checks c = of(capacity);
            int n = byId.length;
            System.arraycopy(byId, 0, c.byId, 0, n);
            System.arraycopy(dataBytes, 0, c.dataBytes, 0, n);
            System.arraycopy(dataOffset, 0, c.dataOffset, 0, n);
            System.arraycopy(refs, 0, c.refs, 0, n);
            return c;
        }
    }

    private final MemorySegment table;
    private final MemorySegment descriptor;
    private final long maxObjectBytes;
    /* -1 in dataBytes/refs marks "not a record", so one comparison rejects both a wrong layout and a bad offset. */
    private Checks checks = Checks.of(INITIAL_CAPACITY);
    private final Map<String, List<RecordLayout>> byName = new HashMap<>();
    private int nextRecordId = FIRST_RECORD;

    /**
     * @param table          native memory of NATIVE_BYTES, zeroed
     * @param descriptor     the heap's ugc_heap, whose layouts/nlayouts this table maintains
     * @param maxObjectBytes the largest object the heap can ever hold
     */
    public LayoutTable(MemorySegment table, MemorySegment descriptor, long maxObjectBytes) {
        this.table = table;
        this.descriptor = descriptor;
        this.maxObjectBytes = maxObjectBytes;
        writeEntry(Uffdgc.UGC_LAYOUT_FILLER(), Uffdgc.UGC_KIND_FILLER(), 0, 0, 0, 0, 0);
        for (ArrayLayout a : ArrayLayout.values()) {
            writeEntry(a.id(), a.kind(), 0, 0, 0, 0, a.elemBytes());
            checks.byId[a.id()] = a;
        }
        ugc_heap.layouts(descriptor, table.address());
        publishCount(maxBuiltinId() + 1);
    }

    private static int maxBuiltinId() {
        int max = Uffdgc.UGC_LAYOUT_FILLER();
        for (ArrayLayout a : ArrayLayout.values()) max = Math.max(max, a.id());
        return max;
    }

    /**
     * Defines a new record layout: nrefs reference slots then dataBytes of raw data. The name
     * is a label for messages and {@link #records}; it need not be unique.
     *
     * @throws InvalidLayoutException for a blank name, negative sizes, an object larger than
     *         the heap, or a full table
     */
    public synchronized RecordLayout defineRecord(String name, int nrefs, int dataBytes) {
        if (name == null || name.isBlank())
            throw new InvalidLayoutException("record layout name must not be null or blank");
        if (nrefs < 0)
            throw new InvalidLayoutException("record layout '" + name + "': negative number of references " + nrefs);
        if (dataBytes < 0)
            throw new InvalidLayoutException("record layout '" + name + "': negative data size " + dataBytes);
        long dataOffset = ObjectHeader.WORD_BYTES + ObjectHeader.roundUpToWord((long) nrefs * Uffdgc.UGC_REF_BYTES());
        long sizeBytes = dataOffset + ObjectHeader.roundUpToWord(dataBytes);
        if (sizeBytes > maxObjectBytes)
            throw new InvalidLayoutException("record layout '" + name + "': " + nrefs + " references and " + dataBytes
                    + " data bytes make a " + sizeBytes + "-byte object, larger than the heap can hold ("
                    + maxObjectBytes + " bytes)");
        if (nextRecordId >= MAX_LAYOUTS)
            throw new InvalidLayoutException("layout table is full (" + MAX_LAYOUTS + " layouts, the "
                    + Long.bitCount(ObjectHeader.LAYOUT_MASK) + "-bit layout id of a header); cannot define '" + name + "'");
        int id = nextRecordId++;
        int sizeWords = (int) (sizeBytes / ObjectHeader.WORD_BYTES);
        RecordLayout layout = new RecordLayout(id, name, nrefs, dataBytes, (int) dataOffset, sizeWords);
        writeEntry(id, Uffdgc.UGC_KIND_RECORD(), nrefs, (int) dataOffset, dataBytes, sizeWords, 0);
        Checks c = checks;
        if (id >= c.byId.length) c = c.grow(Math.min(MAX_LAYOUTS, c.byId.length * 2));
        c.refs[id] = nrefs;
        c.dataOffset[id] = (int) dataOffset;
        c.dataBytes[id] = dataBytes;
        c.byId[id] = layout;
        checks = c;
        byName.computeIfAbsent(name, k -> new ArrayList<>(1)).add(layout);
        // The entry is complete before the count that makes it visible to C grows.
        publishCount(id + 1);
        return layout;
    }
    private void writeEntry(int id, int kind, int nrefs, int dataOffset, int dataBytes, int sizeWords, int elemBytes) {
        MemorySegment e = ugc_layout.asSlice(table, id);
        ugc_layout.nrefs(e, nrefs);
        ugc_layout.data_offset(e, dataOffset);
        ugc_layout.data_bytes(e, dataBytes);
        ugc_layout.size_words(e, sizeWords);
        ugc_layout.elem_bytes(e, elemBytes);
        ugc_layout.kind(e, kind);
    }

    private void publishCount(long n) {
        java.lang.invoke.VarHandle.releaseFence();
        ugc_heap.nlayouts(descriptor, n);
    }

    /**
     * Makes every layout defined so far visible to the calling thread. The access-check
     * arrays are read without a lock on the fast path; a thread that meets an object of a
     * layout defined by another thread with no synchronization in between calls this
     * before it reports a wrong layout.
     */
    public synchronized void synchronize() {
        // the monitor itself is the point: it orders this thread after every defineRecord
    }

    /** The layout with this id, or null if none is defined (or this thread has not synchronized with its definition). */
    public Layout layout(int id) {
        Layout[] byId = checks.byId;
        return id >= 0 && id < byId.length ? byId[id] : null;
    }

    /** Every record layout defined with this name, in the order they were defined (empty if none). */
    public synchronized List<RecordLayout> records(String name) {
        return List.copyOf(byName.getOrDefault(name, List.of()));
    }

    /** Record layouts defined so far. */
    public synchronized int recordCount() { return nextRecordId - FIRST_RECORD; }

    /** True if layout is the very object this table defined under its id (not another heap's). */
    public boolean owns(Layout layout) {
        if (layout instanceof ArrayLayout) return true;
        if (layout == null) return false;
        if (layout(layout.id()) == layout) return true;
        synchronize(); // defined by a thread this one has not synchronized with yet
        return layout(layout.id()) == layout;
    }

    /** Raw data bytes of record layout id (a header's layout id, never negative), or -1 if id is not a record. */
    public int recordDataBytes(int id) {
        int[] a = checks.dataBytes;
        return id < a.length ? a[id] : -1;
    }

    /** Byte offset of the data of record layout id; meaningful only where recordDataBytes(id) is not -1. */
    public int recordDataOffset(int id) {
        int[] a = checks.dataOffset;
        return id < a.length ? a[id] : 0;
    }

    /** Reference slots of record layout id, or -1 if id is not a record. */
    public int recordRefs(int id) {
        int[] a = checks.refs;
        return id < a.length ? a[id] : -1;
    }

    /** A name for error messages, also for ids that name nothing. */
    public String describe(int id) {
        Layout l = layout(id);
        if (l != null) return l instanceof RecordLayout r ? "record '" + r.name() + "' (layout " + id + ")" : l + " (layout " + id + ")";
        return id == Uffdgc.UGC_LAYOUT_FILLER() ? "filler (layout " + id + ")" : "undefined layout " + id;
    }
}
