package io.uffdgc.heap;

import static org.junit.jupiter.api.Assertions.*;

import io.uffdgc.heap.handle.Handles;
import io.uffdgc.heap.handle.NullHandleException;
import io.uffdgc.heap.layout.ArrayLayout;
import io.uffdgc.heap.layout.RecordLayout;
import io.uffdgc.heap.layout.WrongLayoutException;
import io.uffdgc.heap.verify.HeapVerifier;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class AccessTest {
    private final Heap heap = Heap.create(HeapLifecycleTest.small("access"));
    private final RecordLayout node = heap.defineRecord("Node", 2, 21);
    private final Mutator m = heap.attach();

    @AfterEach
    void close() {
        m.close();
        HeapVerifier.verify(heap);
        heap.close();
    }

    @Test
    void recordFieldsStartZeroedAndRoundTrip() {
        long n = m.allocate(node);
        assertEquals(0, m.getLong(n, 0));
        assertEquals(Handles.NULL, m.getRef(n, 0));
        m.putLong(n, 0, Long.MIN_VALUE + 7);
        m.putInt(n, 8, -5);
        m.putDouble(n, 12, Math.PI);   // unaligned within data is allowed
        m.putByte(n, 20, (byte) 0x7f);
        assertEquals(Long.MIN_VALUE + 7, m.getLong(n, 0));
        assertEquals(-5, m.getInt(n, 8));
        assertEquals(Math.PI, m.getDouble(n, 12));
        assertEquals(0x7f, m.getByte(n, 20));
        byte[] bytes = new byte[21];
        m.getBytes(n, 0, bytes, 0, 21);
        assertEquals(0x7f, bytes[20]);
        m.putBytes(n, 1, new byte[] {1, 2, 3}, 1, 2);
        assertEquals(2, m.getByte(n, 1));
        assertEquals(3, m.getByte(n, 2));
        assertSame(node, m.layoutOf(n));
    }

    @Test
    void referencesLinkObjects() {
        long a = m.allocate(node), b = m.allocate(node);
        m.putLong(b, 0, 99);
        m.putRef(a, 1, b);
        long b2 = m.getRef(a, 1);
        assertNotEquals(b, b2, "reads return a new handle");
        assertTrue(m.sameObject(b, b2));
        assertEquals(99, m.getLong(b2, 0));
        m.putRef(a, 1, Handles.NULL);
        assertEquals(Handles.NULL, m.getRef(a, 1));
        long cursor = m.duplicate(a);
        m.putRef(a, 0, b);
        assertTrue(m.getRefInto(a, 0, cursor));
        assertTrue(m.sameObject(cursor, b));
        assertFalse(m.getRefInto(cursor, 0, cursor));
    }

    @Test
    void arraysOfEveryKind() {
        long refs = m.newRefArray(3), bytes = m.newByteArray(13), ints = m.newIntArray(5), longs = m.newLongArray(2),
                doubles = m.newDoubleArray(4);
        assertEquals(3, m.length(refs));
        assertEquals(13, m.length(bytes));
        assertEquals(5, m.length(ints));
        assertEquals(2, m.length(longs));
        assertEquals(4, m.length(doubles));
        assertSame(ArrayLayout.BYTE, m.layoutOf(bytes));
        m.putRefElement(refs, 2, longs);
        assertTrue(m.sameObject(longs, m.getRefElement(refs, 2)));
        assertEquals(Handles.NULL, m.getRefElement(refs, 0));
        m.putByteElement(bytes, 12, (byte) -1);
        assertEquals(-1, m.getByteElement(bytes, 12));
        m.writeBytes(bytes, 3, new byte[] {9, 8, 7}, 0, 3);
        byte[] out = new byte[13];
        m.readBytes(bytes, 0, out, 0, 13);
        assertArrayEquals(new byte[] {0, 0, 0, 9, 8, 7, 0, 0, 0, 0, 0, 0, -1}, out);
        m.putIntElement(ints, 4, 123);
        assertEquals(123, m.getIntElement(ints, 4));
        m.putLongElement(longs, 1, -1L);
        assertEquals(-1L, m.getLongElement(longs, 1));
        m.putDoubleElement(doubles, 3, 2.5);
        assertEquals(2.5, m.getDoubleElement(doubles, 3));
        assertEquals(0, m.length(m.newLongArray(0)));
    }

    @Test
    void wrongLayoutIsRejectedAndChangesNothing() {
        long n = m.allocate(node), ints = m.newIntArray(4);
        m.putIntElement(ints, 0, 5);
        var e = assertThrows(WrongLayoutException.class, () -> m.getLong(ints, 0));
        assertTrue(e.getMessage().contains("int[]"), e.getMessage());
        assertThrows(WrongLayoutException.class, () -> m.putRef(ints, 0, n));
        assertThrows(WrongLayoutException.class, () -> m.getLongElement(ints, 0));
        assertThrows(WrongLayoutException.class, () -> m.getIntElement(n, 0));
        assertThrows(WrongLayoutException.class, () -> m.putRefElement(n, 0, n));
        assertThrows(WrongLayoutException.class, () -> m.length(n));
        assertThrows(WrongLayoutException.class, () -> m.readBytes(ints, 0, new byte[1], 0, 1));
        assertEquals(5, m.getIntElement(ints, 0));
        Heap other = Heap.create(HeapLifecycleTest.small("other"));
        try {
            RecordLayout foreign = other.defineRecord("Foreign", 0, 8);
            assertThrows(WrongLayoutException.class, () -> m.allocate(foreign));
            assertThrows(WrongLayoutException.class, () -> m.allocate(null));
            var nullArray = assertThrows(WrongLayoutException.class, () -> m.allocateArray(null, 3));
            assertTrue(nullArray.getMessage().contains("array layout is null"), nullArray.getMessage());
        } finally {
            other.close();
        }
    }

    @Test
    void outOfBoundsNamesIndexAndLength() {
        long n = m.allocate(node), longs = m.newLongArray(3);
        var e = assertThrows(IndexOutOfBoundsException.class, () -> m.getLongElement(longs, 3));
        assertTrue(e.getMessage().contains("index 3") && e.getMessage().contains("length 3"), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> m.putLongElement(longs, -1, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> m.getLong(n, 14));   // 14 + 8 > 21
        assertThrows(IndexOutOfBoundsException.class, () -> m.getByte(n, 21));
        assertThrows(IndexOutOfBoundsException.class, () -> m.getInt(n, -1));
        var r = assertThrows(IndexOutOfBoundsException.class, () -> m.getRef(n, 2));
        assertTrue(r.getMessage().contains("index 2") && r.getMessage().contains("length 2"), r.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> m.getBytes(n, 10, new byte[20], 0, 12));
        assertThrows(IndexOutOfBoundsException.class, () -> m.getBytes(n, 0, new byte[2], 0, 3));
        long bytes = m.newByteArray(5);
        assertThrows(IndexOutOfBoundsException.class, () -> m.writeBytes(bytes, 3, new byte[3], 0, 3));
        m.getLong(n, 13); // the last whole long fits
    }

    @Test
    void refElementIntoRetargetsAnExistingHandle() {
        long refs = m.newRefArray(2), target = m.newLongArray(1), cursor = m.newLongArray(1);
        m.putRefElement(refs, 1, target);
        assertTrue(m.getRefElementInto(refs, 1, cursor));
        assertTrue(m.sameObject(cursor, target));
        assertFalse(m.getRefElementInto(refs, 0, cursor), "null element: false");
        assertTrue(m.sameObject(cursor, target), "and the handle is unchanged");
        assertThrows(IndexOutOfBoundsException.class, () -> m.getRefElementInto(refs, 2, cursor));
        assertThrows(WrongLayoutException.class, () -> m.getRefElementInto(target, 0, cursor));
    }

    @Test
    void byteArraysCopyToAndFromSegments() {
        long bytes = m.newByteArray(6);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment off = arena.allocate(8);
            off.set(ValueLayout.JAVA_BYTE, 2, (byte) 5);
            off.set(ValueLayout.JAVA_BYTE, 3, (byte) 6);
            m.writeBytes(bytes, 4, off, 2, 2);
            m.writeBytes(bytes, 0, MemorySegment.ofArray(new byte[] {1, 2}), 0, 2);
            MemorySegment back = MemorySegment.ofBuffer(ByteBuffer.allocateDirect(7));
            m.readBytes(bytes, 0, back, 1, 6);
            assertArrayEquals(new byte[] {0, 1, 2, 0, 0, 5, 6}, back.toArray(ValueLayout.JAVA_BYTE));
            assertThrows(IndexOutOfBoundsException.class, () -> m.readBytes(bytes, 0, off, 4, 6), "past the segment");
            assertThrows(IndexOutOfBoundsException.class, () -> m.writeBytes(bytes, 5, off, 0, 2), "past the array");
            assertThrows(NullPointerException.class, () -> m.readBytes(bytes, 0, (MemorySegment) null, 0, 1));
        }
    }

    @Test
    void negativeArraySizeIsRejected() {
        var e = assertThrows(NegativeArraySizeException.class, () -> m.newLongArray(-1));
        assertTrue(e.getMessage().contains("-1"));
    }

    @Test
    void nullHandleWhereAnObjectIsNeeded() {
        assertThrows(NullHandleException.class, () -> m.getLong(Handles.NULL, 0));
        assertThrows(NullHandleException.class, () -> m.length(Handles.NULL));
        assertEquals(Handles.NULL, m.duplicate(Handles.NULL));
    }
}
