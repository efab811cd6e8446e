package io.uffdgc.heap.layout;

import io.uffdgc.uffd.gen.Uffdgc;
import io.uffdgc.uffd.gen.ugc_heap;
import io.uffdgc.uffd.gen.ugc_layout;
import java.lang.foreign.MemorySegment;
import java.util.HashMap;
import java.util.Map;

/**
 * A heap's layout table, kept twice: as ugc_layout[UGC_MAX_LAYOUTS] in native memory,
 * which the C collector reads (through the descriptor's layouts/nlayouts), and as flat
 * Java arrays indexed by layout id, which the mutator's access checks read without
 * touching native memory. The table never moves (it is reserved at full size, pages
 * committed as entries are written), so it never needs a safepoint to grow.
 */
public final class LayoutTable {
    public static final int MAX_LAYOUTS = Uffdgc.UGC_MAX_LAYOUTS();
    public static final int FIRST_RECORD = Uffdgc.UGC_LAYOUT_FIRST_RECORD();
    /** Native bytes the table needs: the caller reserves them. */
    public static final long NATIVE_BYTES = MAX_LAYOUTS * ugc_layout.sizeof();

    private final MemorySegment table;
    private final MemorySegment descriptor;
    private final long maxObjectBytes;
    private final Layout[] byId = new Layout[MAX_LAYOUTS];
    private final Map<String, RecordLayout> byName = new HashMap<>();
    /* Access-check arrays, indexed by the 16-bit layout id of a header (never out of range).
     * -1 marks "not a record", so one comparison rejects both a wrong layout and a bad offset. */
    private final int[] recordDataBytes = new int[MAX_LAYOUTS];
    private final int[] recordDataOffset = new int[MAX_LAYOUTS];
    private final int[] recordRefs = new int[MAX_LAYOUTS];
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
        java.util.Arrays.fill(recordDataBytes, -1);
        java.util.Arrays.fill(recordRefs, -1);
        writeEntry(Uffdgc.UGC_LAYOUT_FILLER(), Uffdgc.UGC_KIND_FILLER(), 0, 0, 0, 0, 0);
        for (ArrayLayout a : ArrayLayout.values()) {
            writeEntry(a.id(), a.kind(), 0, 0, 0, 0, a.elemBytes());
            byId[a.id()] = a;
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
     * Defines a record layout: nrefs reference slots then dataBytes of raw data.
     *
     * @throws InvalidLayoutException for a blank or duplicate name, negative sizes, an object
     *         larger than the heap, or a full table
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
        if (byName.containsKey(name))
            throw new InvalidLayoutException("record layout '" + name + "' is already defined: " + byName.get(name));
        if (nextRecordId >= MAX_LAYOUTS)
            throw new InvalidLayoutException("layout table is full (" + MAX_LAYOUTS + " layouts); cannot define '" + name + "'");
        int id = nextRecordId++;
        int sizeWords = (int) (sizeBytes / ObjectHeader.WORD_BYTES);
        RecordLayout layout = new RecordLayout(id, name, nrefs, dataBytes, (int) dataOffset, sizeWords);
        writeEntry(id, Uffdgc.UGC_KIND_RECORD(), nrefs, (int) dataOffset, dataBytes, sizeWords, 0);
        recordRefs[id] = nrefs;
        recordDataOffset[id] = (int) dataOffset;
        recordDataBytes[id] = dataBytes;
        byId[id] = layout;
        byName.put(name, layout);
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

    /** The layout with this id, or null if none is defined. */
    public Layout layout(int id) {
        return id >= 0 && id < MAX_LAYOUTS ? byId[id] : null;
    }

    /** The record layout with this name, or null. */
    public synchronized RecordLayout record(String name) { return byName.get(name); }

    /** True if layout is the very object this table defined under its id (not another heap's). */
    public boolean owns(Layout layout) {
        return layout instanceof ArrayLayout
                || (layout != null && layout.id() >= 0 && layout.id() < MAX_LAYOUTS && byId[layout.id()] == layout);
    }

    /** Raw data bytes of record layout id, or -1 if id is not a record. Indexed by a header's 16-bit id. */
    public int recordDataBytes(int id) { return recordDataBytes[id]; }

    public int recordDataOffset(int id) { return recordDataOffset[id]; }

    /** Reference slots of record layout id, or -1 if id is not a record. */
    public int recordRefs(int id) { return recordRefs[id]; }

    /** A name for error messages, also for ids that name nothing. */
    public String describe(int id) {
        Layout l = layout(id);
        if (l != null) return l instanceof RecordLayout r ? "record '" + r.name() + "' (layout " + id + ")" : l + " (layout " + id + ")";
        return id == Uffdgc.UGC_LAYOUT_FILLER() ? "filler (layout " + id + ")" : "undefined layout " + id;
    }
}
