package io.uffdgc.heap;

import static org.junit.jupiter.api.Assertions.*;

import io.uffdgc.heap.layout.ArrayLayout;
import io.uffdgc.heap.layout.InvalidLayoutException;
import io.uffdgc.heap.layout.LayoutTable;
import io.uffdgc.heap.layout.ObjectHeader;
import io.uffdgc.heap.layout.RecordLayout;
import io.uffdgc.heap.verify.HeapVerifier;
import io.uffdgc.uffd.gen.Uffdgc;
import io.uffdgc.uffd.gen.ugc_heap;
import io.uffdgc.uffd.gen.ugc_layout;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LayoutTest {
    private final Heap heap = Heap.create(HeapLifecycleTest.small("layouts"));

    @AfterEach
    void close() {
        HeapVerifier.verify(heap);
        heap.close();
    }

    private MemorySegment nativeEntry(int id) {
        var d = heap.descriptor();
        assertTrue(id < ugc_heap.nlayouts(d));
        return ugc_layout.asSlice(MemorySegment.ofAddress(ugc_heap.layouts(d)).reinterpret(LayoutTable.NATIVE_BYTES), id);
    }

    @Test
    void recordLayoutFollowsTheHeaderFormulaAndIsVisibleToC() {
        RecordLayout r = heap.defineRecord("Node", 3, 12);
        assertTrue(r.id() >= Uffdgc.UGC_LAYOUT_FIRST_RECORD());
        assertEquals(8 + 16, r.dataOffset());          // 3 refs = 12 bytes, rounded up to 16
        assertEquals((24 + 16) / 8, r.sizeWords());     // 12 data bytes round to 16
        MemorySegment e = nativeEntry(r.id());
        assertEquals(Uffdgc.UGC_KIND_RECORD(), ugc_layout.kind(e));
        assertEquals(3, ugc_layout.nrefs(e));
        assertEquals(24, ugc_layout.data_offset(e));
        assertEquals(12, ugc_layout.data_bytes(e));
        assertEquals(5, ugc_layout.size_words(e));
        assertEquals(java.util.List.of(r), heap.layouts().records("Node"));
        assertSame(r, heap.layouts().layout(r.id()));
    }

    @Test
    void emptyRecordIsJustAHeader() {
        RecordLayout r = heap.defineRecord("Unit", 0, 0);
        assertEquals(1, r.sizeWords());
        assertEquals(8, r.dataOffset());
    }

    @Test
    void builtinArraysAndFillerAreInTheNativeTable() {
        assertEquals(Uffdgc.UGC_KIND_FILLER(), ugc_layout.kind(nativeEntry(Uffdgc.UGC_LAYOUT_FILLER())));
        for (ArrayLayout a : ArrayLayout.values()) {
            MemorySegment e = nativeEntry(a.id());
            assertEquals(a.kind(), ugc_layout.kind(e), a.toString());
            assertEquals(a.elemBytes(), ugc_layout.elem_bytes(e), a.toString());
        }
        assertEquals(4, ArrayLayout.REF.elemBytes());
    }

    @Test
    void arraySizesAndPaddingRoundTripThroughTheHeader() {
        for (ArrayLayout a : ArrayLayout.values()) {
            for (int len : new int[] {0, 1, 2, 3, 7, 8, 9, 1000}) {
                long bytes = a.sizeBytes(len);
                assertEquals(0, bytes % 8);
                long header = ObjectHeader.encode(bytes / 8, a.id(), a.padBytes(len));
                assertEquals(len, a.length(header), a + " length " + len);
                assertTrue(ObjectHeader.hasMagic(header));
                assertFalse(ObjectHeader.hasIdentity(header));
                long withId = ObjectHeader.encode(bytes / 8 + 1, a.id(), a.padBytes(len), true);
                assertEquals(len, a.length(withId), a + " length " + len + " with an identity word");
            }
        }
    }

    @Test
    void impossibleLayoutsAreRejectedClearly() {
        assertThrows(InvalidLayoutException.class, () -> heap.defineRecord(null, 1, 1));
        assertThrows(InvalidLayoutException.class, () -> heap.defineRecord("", 1, 1));
        var neg = assertThrows(InvalidLayoutException.class, () -> heap.defineRecord("A", -1, 8));
        assertTrue(neg.getMessage().contains("negative"));
        assertThrows(InvalidLayoutException.class, () -> heap.defineRecord("B", 1, -8));
        var big = assertThrows(InvalidLayoutException.class, () -> heap.defineRecord("C", Integer.MAX_VALUE, Integer.MAX_VALUE));
        assertTrue(big.getMessage().contains("larger than the heap"), big.getMessage());
        assertEquals(0, heap.layouts().recordCount(), "the failed definitions changed nothing");
    }

    /** One class name from two class loaders: two layouts, two ids, both found by name, objects of each distinct. */
    @Test
    void aNameDefinedTwiceGivesTwoLayouts() {
        RecordLayout first = heap.defineRecord("java.lang.String", 1, 4);
        RecordLayout second = heap.defineRecord("java.lang.String", 2, 8);
        assertNotEquals(first.id(), second.id());
        assertEquals(java.util.List.of(first, second), heap.layouts().records("java.lang.String"));
        assertEquals(java.util.List.of(), heap.layouts().records("java.lang.Object"));
        try (Mutator m = heap.attach()) {
            long a = m.allocate(first), b = m.allocate(second);
            assertSame(first, m.layoutOf(a));
            assertSame(second, m.layoutOf(b));
            assertThrows(IndexOutOfBoundsException.class, () -> m.putRef(a, 1, b), "first has one reference slot");
            m.putRef(b, 1, a);
            m.putLong(b, 0, 7);
            assertThrows(IndexOutOfBoundsException.class, () -> m.putLong(a, 0, 7), "first has 4 data bytes");
        }
    }

    @Test
    void layoutTableFillsUpWithAClearError() {
        int defined = 0;
        InvalidLayoutException full = null;
        try {
            for (int i = 0; ; i++) {
                heap.defineRecord("R", i % 3, 8); // one name for all: names need not be unique
                defined++;
            }
        } catch (InvalidLayoutException e) {
            full = e;
        }
        assertEquals(LayoutTable.MAX_LAYOUTS - LayoutTable.FIRST_RECORD, defined);
        assertTrue(full.getMessage().contains("full"));
        assertEquals(LayoutTable.MAX_LAYOUTS, ugc_heap.nlayouts(heap.descriptor()));
        assertEquals(1 << 20, LayoutTable.MAX_LAYOUTS, "a realistic dump needs about a million layouts");
        // The last id uses every layout bit of the header: an object of it reads back as that layout.
        RecordLayout last = (RecordLayout) heap.layouts().layout(LayoutTable.MAX_LAYOUTS - 1);
        assertEquals(ObjectHeader.LAYOUT_MASK, last.id());
        try (Mutator m = heap.attach()) {
            long h = m.allocate(last);
            assertSame(last, m.layoutOf(h));
            m.putLong(h, 0, -1L);
            assertEquals(-1L, m.getLong(h, 0));
        }
    }
}
