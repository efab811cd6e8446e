package io.uffdgc.heap.verify;

import io.uffdgc.heap.internal.HeapInternals;
import io.uffdgc.heap.Heap;
import io.uffdgc.heap.SafepointSession;
import io.uffdgc.heap.layout.ObjectHeader;
import io.uffdgc.uffd.gen.Uffdgc;
import io.uffdgc.uffd.gen.ugc_heap;
import io.uffdgc.uffd.gen.ugc_layout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.agrona.collections.Int2IntHashMap;
import org.agrona.collections.IntArrayList;

/**
 * Checks a heap the way the C collector will see it: everything is read through the
 * ugc_heap descriptor (layout table, root table, top), not through Java's own bookkeeping.
 *
 * <ol>
 *   <li>the layout table entries are self-consistent;</li>
 *   <li>walking [start, top) header by header, every header has the magic, zero reserved
 *       bits, a defined layout and a size consistent with it, and ends inside top; object
 *       starts go into a bitmap (fillers do not: nothing may point at one);</li>
 *   <li>every root and, breadth-first from the roots, every reference is null or the start
 *       of an object;</li>
 *   <li>so are the references of objects no root reaches.</li>
 * </ol>
 * The first failure throws {@link HeapCorruptionException} with the address and the path
 * that reached it. Runs inside a heap safepoint (nested if the caller holds one).
 */
public final class HeapVerifier {
    private static final ValueLayout.OfLong HEADER = ValueLayout.JAVA_LONG;
    private static final ValueLayout.OfInt REF = ValueLayout.JAVA_INT;
    private static final int RECORD = Uffdgc.UGC_KIND_RECORD(), REF_ARRAY = Uffdgc.UGC_KIND_REF_ARRAY(),
            PRIM_ARRAY = Uffdgc.UGC_KIND_PRIM_ARRAY(), FILLER = Uffdgc.UGC_KIND_FILLER();

    private final Heap heap;
    private final MemorySegment mem;
    private final long base, start, top;
    private final MemorySegment layoutTable;
    private final int nlayouts;
    private final MemorySegment roots;
    private final int nroots;
    private final long[] starts;
    private final long[] reached;
    private final MemorySegment descriptor;

    private HeapVerifier(Heap heap) {
        this.heap = heap;
        HeapInternals internals = HeapInternals.of(heap);
        MemorySegment d = internals.descriptor();
        this.descriptor = d;
        this.mem = internals.segment();
        this.base = ugc_heap.base(d);
        this.start = heap.start();
        this.top = ugc_heap.top(d);
        this.nlayouts = (int) ugc_heap.nlayouts(d);
        this.layoutTable = MemorySegment.ofAddress(ugc_heap.layouts(d)).reinterpret(nlayouts * ugc_layout.sizeof());
        this.nroots = (int) ugc_heap.nroots(d);
        this.roots = MemorySegment.ofAddress(ugc_heap.roots(d)).reinterpret((long) nroots * Integer.BYTES);
        long words = top / ObjectHeader.WORD_BYTES + 1;
        this.starts = new long[(int) ((words + 63) >>> 6)];
        this.reached = new long[starts.length];
    }

    /** Verifies heap; returns what it saw or throws at the first corruption. */
    public static VerificationResult verify(Heap heap) {
        try (SafepointSession ignored = heap.stopTheWorld()) {
            return new HeapVerifier(heap).run();
        }
    }

    private VerificationResult run() {
        if (top < start || top > ugc_heap.capacity(descriptor) || (top & 7) != 0)
            throw corrupt("descriptor top " + top + " outside [start, capacity]", descriptor.address(), "descriptor");
        checkLayoutTable();
        long objects = 0, objectBytes = 0, fillerBytes = 0;
        for (long at = start; at < top; ) {
            long size = checkHeader(at);
            if (kind(ObjectHeader.layoutId(mem.get(HEADER, at))) == FILLER) {
                fillerBytes += size;
            } else {
                set(starts, at);
                objects++;
                objectBytes += size;
            }
            at += size;
        }
        long[] reach = traceFromRoots();
        checkUnreachable();
        return new VerificationResult(objects, objectBytes, fillerBytes, reach[0], reach[1], reach[2]);
    }

    private void checkLayoutTable() {
        for (int id = 1; id < nlayouts; id++) {
            MemorySegment e = ugc_layout.asSlice(layoutTable, id);
            int kind = ugc_layout.kind(e);
            String where = "layout table entry " + id;
            long addr = e.address();
            if (kind == RECORD) {
                long dataOffset = ObjectHeader.WORD_BYTES + ObjectHeader.roundUpToWord(4L * ugc_layout.nrefs(e));
                long size = (dataOffset + ObjectHeader.roundUpToWord(Integer.toUnsignedLong(ugc_layout.data_bytes(e)))) / 8;
                if (ugc_layout.data_offset(e) != dataOffset || Integer.toUnsignedLong(ugc_layout.size_words(e)) != size)
                    throw corrupt("record layout with data_offset " + ugc_layout.data_offset(e) + " and size_words "
                            + ugc_layout.size_words(e) + " (expected " + dataOffset + " and " + size + ")", addr, where);
            } else if (kind == REF_ARRAY || kind == PRIM_ARRAY) {
                int eb = ugc_layout.elem_bytes(e);
                if (kind == REF_ARRAY ? eb != Uffdgc.UGC_REF_BYTES() : eb != 1 && eb != 2 && eb != 4 && eb != 8)
                    throw corrupt("array layout with element size " + eb, addr, where);
            } else if (kind != 0 && kind != FILLER) {
                throw corrupt("layout of unknown kind " + kind, addr, where);
            }
        }
    }

    /** Checks the header at offset at and returns the object's size in bytes. */
    private long checkHeader(long at) {
        long h = mem.get(HEADER, at);
        String where = "heap walk from start (offset " + at + ")";
        if (!ObjectHeader.hasMagic(h)) throw corrupt("bad magic in " + ObjectHeader.describe(h), base + at, where);
        int id = ObjectHeader.layoutId(h);
        int kind = kind(id);
        if (kind == 0) throw corrupt("undefined layout id in " + ObjectHeader.describe(h), base + at, where);
        long words = ObjectHeader.sizeWords(h);
        int pad = ObjectHeader.padBytes(h);
        MemorySegment e = ugc_layout.asSlice(layoutTable, id);
        int idWords = ObjectHeader.identityWords(h); // a last word, counted in the size, outside the payload
        boolean ok;
        if (kind == RECORD) {
            ok = words == Integer.toUnsignedLong(ugc_layout.size_words(e)) + idWords && pad == 0;
        } else if (kind == FILLER) {
            ok = words >= 1 && pad == 0 && idWords == 0;
        } else if (kind == REF_ARRAY || kind == PRIM_ARRAY) {
            long payload = ObjectHeader.payloadBytes(h);
            ok = words >= 1 + idWords && payload >= 0 && payload % ugc_layout.elem_bytes(e) == 0
                    && (words > 1 + idWords || pad == 0);
        } else {
            ok = false; // checkLayoutTable admits no other kind; kept so a new kind cannot pass unchecked
        }
        if (!ok) throw corrupt("size inconsistent with its layout in " + ObjectHeader.describe(h), base + at, where);
        long bytes = words * 8;
        if (bytes > top - at)
            throw corrupt("object of " + bytes + " bytes runs past top (" + top + ")", base + at, where);
        return bytes;
    }

    private int kind(int id) {
        return id < nlayouts ? ugc_layout.kind(ugc_layout.asSlice(layoutTable, id)) : 0;
    }

    /** Breadth-first from the roots; returns {objects, bytes, roots}. */
    private long[] traceFromRoots() {
        IntArrayList queue = new IntArrayList();
        long nonNull = 0;
        for (int slot = 0; slot < nroots; slot++) {
            int ref = roots.getAtIndex(REF, slot);
            if (ref == 0) continue;
            nonNull++;
            long target = Integer.toUnsignedLong(ref) * 8;
            if (!isStart(target))
                throw corrupt("root holds ref " + Integer.toUnsignedString(ref) + " (offset " + target
                        + "), not the start of an object", roots.address() + 4L * slot, "root slot " + slot);
            if (!isSet(reached, target)) {
                set(reached, target);
                queue.addInt(ref);
            }
        }
        long objects = 0, bytes = 0;
        for (int i = 0; i < queue.size(); i++) {
            long obj = Integer.toUnsignedLong(queue.getInt(i)) * 8;
            objects++;
            bytes += ObjectHeader.sizeWords(mem.get(HEADER, obj)) * 8;
            int n = refCount(obj);
            for (int f = 0; f < n; f++) {
                long slotAt = obj + 8 + 4L * f;
                int ref = mem.get(REF, slotAt);
                if (ref == 0) continue;
                long target = Integer.toUnsignedLong(ref) * 8;
                if (!isStart(target))
                    throw corrupt("reference " + Integer.toUnsignedString(ref) + " (offset " + target
                            + ") is not the start of an object", base + slotAt, pathTo(obj) + "." + field(obj, f));
                if (!isSet(reached, target)) {
                    set(reached, target);
                    queue.addInt(ref);
                }
            }
        }
        return new long[] {objects, bytes, nonNull};
    }

    private void checkUnreachable() {
        for (long at = start; at < top; at += ObjectHeader.sizeWords(mem.get(HEADER, at)) * 8) {
            if (!isStart(at) || isSet(reached, at)) continue;
            int n = refCount(at);
            for (int f = 0; f < n; f++) {
                int ref = mem.get(REF, at + 8 + 4L * f);
                long target = Integer.toUnsignedLong(ref) * 8;
                if (ref != 0 && !isStart(target))
                    throw corrupt("reference " + Integer.toUnsignedString(ref) + " (offset " + target
                            + ") is not the start of an object", base + at + 8 + 4L * f,
                            "heap walk: unreachable " + describe(at) + "." + field(at, f));
            }
        }
    }

    /** Number of reference slots of the (already checked) object at obj. */
    private int refCount(long obj) {
        long h = mem.get(HEADER, obj);
        MemorySegment e = ugc_layout.asSlice(layoutTable, ObjectHeader.layoutId(h));
        int kind = ugc_layout.kind(e);
        if (kind == RECORD) return ugc_layout.nrefs(e);
        if (kind == REF_ARRAY) return (int) (ObjectHeader.payloadBytes(h) / Uffdgc.UGC_REF_BYTES());
        return 0;
    }

    /** "root slot 3 -> record 'Node' (layout 16)@0x40.ref[1] -> ..." up to obj; a second search, only on failure. */
    private String pathTo(long obj) {
        Int2IntHashMap parent = new Int2IntHashMap(-1);   // child ref -> parent ref (0 for a root)
        Int2IntHashMap via = new Int2IntHashMap(-1);      // child ref -> field index, or root slot
        IntArrayList queue = new IntArrayList();
        int goal = (int) (obj / 8);
        for (int slot = 0; slot < nroots; slot++) {
            int ref = roots.getAtIndex(REF, slot);
            if (ref != 0 && isStart(Integer.toUnsignedLong(ref) * 8) && !parent.containsKey(ref)) {
                parent.put(ref, 0);
                via.put(ref, slot);
                queue.addInt(ref);
            }
        }
        for (int i = 0; i < queue.size() && !parent.containsKey(goal); i++) {
            int ref = queue.getInt(i);
            long at = Integer.toUnsignedLong(ref) * 8;
            int n = refCount(at);
            for (int f = 0; f < n; f++) {
                int child = mem.get(REF, at + 8 + 4L * f);
                if (child != 0 && isStart(Integer.toUnsignedLong(child) * 8) && !parent.containsKey(child)) {
                    parent.put(child, ref);
                    via.put(child, f);
                    queue.addInt(child);
                }
            }
        }
        if (!parent.containsKey(goal)) return describe(obj);
        StringBuilder sb = new StringBuilder(describe(obj));
        for (int cur = goal; ; ) {
            int p = parent.get(cur);
            if (p == 0) return "root slot " + via.get(cur) + " -> " + sb;
            long pAt = Integer.toUnsignedLong(p) * 8;
            sb.insert(0, describe(pAt) + "." + field(pAt, via.get(cur)) + " -> ");
            cur = p;
        }
    }

    private String describe(long at) {
        return heap.layouts().describe(ObjectHeader.layoutId(mem.get(HEADER, at))) + "@0x" + Long.toHexString(base + at);
    }

    private String field(long at, int f) {
        return kind(ObjectHeader.layoutId(mem.get(HEADER, at))) == RECORD ? "ref[" + f + "]" : "[" + f + "]";
    }

    private boolean isStart(long offset) {
        return offset >= start && offset < top && (offset & 7) == 0 && isSet(starts, offset);
    }

    private static void set(long[] bits, long offset) {
        long w = offset >>> 3;
        bits[(int) (w >>> 6)] |= 1L << w;
    }

    private static boolean isSet(long[] bits, long offset) {
        long w = offset >>> 3;
        return (bits[(int) (w >>> 6)] & (1L << w)) != 0;
    }

    private static HeapCorruptionException corrupt(String problem, long address, String path) {
        return new HeapCorruptionException(problem, address, path);
    }
}
