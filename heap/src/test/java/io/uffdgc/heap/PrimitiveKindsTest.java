package io.uffdgc.heap;

import static org.junit.jupiter.api.Assertions.*;

import io.uffdgc.heap.handle.StaleHandleException;
import io.uffdgc.heap.layout.ArrayLayout;
import io.uffdgc.heap.layout.RecordLayout;
import io.uffdgc.heap.layout.WrongLayoutException;
import io.uffdgc.heap.verify.HeapChecksum;
import io.uffdgc.heap.verify.HeapVerifier;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The 2-byte and float element kinds, typed record fields, and bulk copies for every primitive array. */
class PrimitiveKindsTest {
    private final Heap heap = Heap.create(HeapLifecycleTest.small("kinds"));
    private final Mutator m = heap.attach();

    @AfterEach
    void close() {
        m.close();
        HeapVerifier.verify(heap);
        heap.close();
    }

    @Test
    void newKindsHaveTheirSizesAndElementAccessors() {
        assertEquals(2, ArrayLayout.CHAR.elemBytes());
        assertEquals(2, ArrayLayout.SHORT.elemBytes());
        assertEquals(4, ArrayLayout.FLOAT.elemBytes());
        long c = m.newCharArray(3), s = m.newShortArray(5), f = m.newFloatArray(7);
        assertSame(ArrayLayout.CHAR, m.layoutOf(c));
        assertEquals(3, m.length(c));
        assertEquals(5, m.length(s));
        assertEquals(7, m.length(f));
        m.putCharElement(c, 2, '\uffff');
        m.putShortElement(s, 4, (short) -2);
        m.putFloatElement(f, 6, Float.MIN_VALUE);
        assertEquals('\uffff', m.getCharElement(c, 2));
        assertEquals((short) -2, m.getShortElement(s, 4));
        assertEquals(Float.MIN_VALUE, m.getFloatElement(f, 6));
        assertEquals(0, m.getCharElement(c, 0), "zeroed");
        assertThrows(IndexOutOfBoundsException.class, () -> m.getCharElement(c, 3));
        assertThrows(IndexOutOfBoundsException.class, () -> m.putShortElement(s, -1, (short) 0));
        var wrong = assertThrows(WrongLayoutException.class, () -> m.getShortElement(c, 0), "a char[] is not a short[]");
        assertTrue(wrong.getMessage().contains("char[]"), wrong.getMessage());
        assertThrows(WrongLayoutException.class, () -> m.getIntElement(f, 0), "a float[] is not an int[]");
        // A 3-char array takes 6 bytes: one payload word with 2 bytes of padding, as the verifier checks.
        assertEquals(16, ArrayLayout.CHAR.sizeBytes(3));
        assertEquals(2, ArrayLayout.CHAR.padBytes(3));
    }

    @Test
    void recordsHaveTwoByteAndFloatFields() {
        RecordLayout r = heap.defineRecord("typed", 0, 8);
        long h = m.allocate(r);
        m.putChar(h, 0, 'x');
        m.putShort(h, 2, (short) -300);
        m.putFloat(h, 4, 1.5f);
        assertEquals('x', m.getChar(h, 0));
        assertEquals((short) -300, m.getShort(h, 2));
        assertEquals(1.5f, m.getFloat(h, 4));
        assertThrows(IndexOutOfBoundsException.class, () -> m.putFloat(h, 5, 0f));
        assertThrows(IndexOutOfBoundsException.class, () -> m.getChar(h, 7));
        long arr = m.newCharArray(4);
        assertThrows(WrongLayoutException.class, () -> m.getChar(arr, 0), "an array has no record fields");
    }

    @Test
    void bulkCopiesRoundTripForEveryKind() {
        int n = 37;
        char[] cs = new char[n]; short[] ss = new short[n]; int[] is = new int[n];
        long[] ls = new long[n]; float[] fs = new float[n]; double[] ds = new double[n];
        for (int i = 0; i < n; i++) {
            cs[i] = (char) (i * 1777); ss[i] = (short) (-i * 911); is[i] = i * 0x01010101;
            ls[i] = i * 0x0102030405060708L; fs[i] = i / 3f; ds[i] = -i / 7.0;
        }
        long c = m.newCharArray(n), s = m.newShortArray(n), in = m.newIntArray(n);
        long l = m.newLongArray(n), f = m.newFloatArray(n), d = m.newDoubleArray(n);
        m.writeChars(c, 0, cs, 0, n); m.writeShorts(s, 0, ss, 0, n); m.writeInts(in, 0, is, 0, n);
        m.writeLongs(l, 0, ls, 0, n); m.writeFloats(f, 0, fs, 0, n); m.writeDoubles(d, 0, ds, 0, n);
        for (int i = 0; i < n; i++) {
            assertEquals(cs[i], m.getCharElement(c, i));
            assertEquals(ss[i], m.getShortElement(s, i));
            assertEquals(is[i], m.getIntElement(in, i));
            assertEquals(ls[i], m.getLongElement(l, i));
            assertEquals(fs[i], m.getFloatElement(f, i));
            assertEquals(ds[i], m.getDoubleElement(d, i));
        }
        // A sub-range read lands at its offset and leaves the rest of the destination alone.
        long[] back = new long[n + 4];
        m.readLongs(l, 5, back, 2, 10);
        for (int i = 0; i < 10; i++) assertEquals(ls[5 + i], back[2 + i]);
        assertEquals(0, back[0]);
        assertEquals(0, back[12]);
        char[] cb = new char[n]; short[] sb = new short[n]; int[] ib = new int[n];
        float[] fb = new float[n]; double[] db = new double[n];
        m.readChars(c, 0, cb, 0, n); m.readShorts(s, 0, sb, 0, n); m.readInts(in, 0, ib, 0, n);
        m.readFloats(f, 0, fb, 0, n); m.readDoubles(d, 0, db, 0, n);
        assertArrayEquals(cs, cb); assertArrayEquals(ss, sb); assertArrayEquals(is, ib);
        assertArrayEquals(fs, fb); assertArrayEquals(ds, db);
    }

    @Test
    void bulkCopiesRejectBadRangesKindsAndHandles() {
        long ints = m.newIntArray(4);
        assertThrows(IndexOutOfBoundsException.class, () -> m.writeInts(ints, 1, new int[4], 0, 4), "past the array");
        assertThrows(IndexOutOfBoundsException.class, () -> m.writeInts(ints, 0, new int[2], 0, 3), "past the source");
        assertThrows(IndexOutOfBoundsException.class, () -> m.readInts(ints, -1, new int[4], 0, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> m.readInts(ints, 0, new int[4], 0, -1));
        assertThrows(WrongLayoutException.class, () -> m.writeLongs(ints, 0, new long[1], 0, 1), "an int[] is not a long[]");
        long refs = m.newRefArray(2);
        var seg = MemorySegment.ofArray(new byte[16]);
        var refused = assertThrows(WrongLayoutException.class,
                () -> m.writeElements(refs, 0, seg, 0, ByteOrder.BIG_ENDIAN, 2), "raw bytes must never become references");
        assertTrue(refused.getMessage().contains("not a primitive array"), refused.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> m.writeElements(ints, 0, seg, 4, ByteOrder.BIG_ENDIAN, 4),
                "4 ints from byte 4 of a 16-byte segment");
        m.release(ints);
        assertThrows(StaleHandleException.class, () -> m.writeInts(ints, 0, new int[1], 0, 1));
        assertThrows(StaleHandleException.class, () -> m.readElements(ints, 0, seg, 0, ByteOrder.BIG_ENDIAN, 1));
    }

    /** Big-endian bytes (as an HPROF dump holds them) go in as values and come out in either order. */
    @Test
    void segmentCopiesConvertByteOrder() {
        ByteBuffer big = ByteBuffer.allocate(24).order(ByteOrder.BIG_ENDIAN);
        big.putChar('A').putShort((short) -5).putFloat(2.25f).putLong(0, 0x1122334455667788L).putDouble(8, Math.PI);
        byte[] bytes = big.array();
        long c = m.newCharArray(1), s = m.newShortArray(1), f = m.newFloatArray(1), l = m.newLongArray(1), d = m.newDoubleArray(2);
        var src = MemorySegment.ofArray(bytes);
        m.writeElements(l, 0, src, 0, ByteOrder.BIG_ENDIAN, 1);
        m.writeElements(d, 1, src, 8, ByteOrder.BIG_ENDIAN, 1);
        assertEquals(0x1122334455667788L, m.getLongElement(l, 0));
        assertEquals(Math.PI, m.getDoubleElement(d, 1));
        big.clear();
        big.putChar(0, 'A').putShort(2, (short) -5).putFloat(4, 2.25f);
        m.writeElements(c, 0, src, 0, ByteOrder.BIG_ENDIAN, 1);
        m.writeElements(s, 0, src, 2, ByteOrder.BIG_ENDIAN, 1);
        m.writeElements(f, 0, src, 4, ByteOrder.BIG_ENDIAN, 1);
        assertEquals('A', m.getCharElement(c, 0));
        assertEquals((short) -5, m.getShortElement(s, 0));
        assertEquals(2.25f, m.getFloatElement(f, 0));
        var out = MemorySegment.ofArray(new byte[4]);
        m.readElements(f, 0, out, 0, ByteOrder.LITTLE_ENDIAN, 1);
        assertEquals(2.25f, ByteBuffer.wrap(out.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE)).order(ByteOrder.LITTLE_ENDIAN).getFloat());
        m.readElements(f, 0, out, 0, ByteOrder.BIG_ENDIAN, 1);
        assertArrayEquals(java.util.Arrays.copyOfRange(bytes, 4, 8), out.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
    }

    /** The checksum (C) covers the new kinds' data like any other primitive data. */
    @Test
    void checksumSeesNewKindsData() {
        long root = m.newRefArray(3);
        long c = m.newCharArray(3), s = m.newShortArray(2), f = m.newFloatArray(1);
        m.putRefElement(root, 0, c);
        m.putRefElement(root, 1, s);
        m.putRefElement(root, 2, f);
        for (long h : new long[] {c, s, f}) m.release(h);
        HeapChecksum before = HeapChecksum.of(heap);
        assertEquals(4, before.objects());
        long f2 = m.getRefElement(root, 2);
        m.putFloatElement(f2, 0, 1f);
        m.release(f2);
        assertNotEquals(before.hash(), HeapChecksum.of(heap).hash());
    }
}
