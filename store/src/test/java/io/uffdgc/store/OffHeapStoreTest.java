package io.uffdgc.store;

import static io.uffdgc.store.Stores.bytes;
import static org.junit.jupiter.api.Assertions.*;

import io.uffdgc.gc.Mode;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The bytes API, one thread: every call, every buffer kind, large values, a growing and shrinking index. */
@Timeout(120)
class OffHeapStoreTest {
    @Test
    void putGetRemoveWithArraysAndBuffers() {
        try (OffHeapStore store = Stores.manual("basic").build()) {
            assertNull(store.get(bytes("a")));
            store.put(bytes("a"), bytes("one"));
            assertArrayEquals(bytes("one"), store.get(bytes("a")));
            store.put(bytes("a"), bytes("uno"));
            assertArrayEquals(bytes("uno"), store.get(bytes("a")));
            assertEquals(1, store.size());

            UnsafeBuffer key = new UnsafeBuffer(ByteBuffer.allocateDirect(16));
            key.putStringWithoutLengthAscii(3, "kk");
            UnsafeBuffer value = new UnsafeBuffer(new byte[10]);
            value.putStringWithoutLengthAscii(2, "direct");
            store.put(key, 3, 2, value, 2, 6);
            assertArrayEquals(bytes("direct"), store.get(bytes("kk")));
            ExpandableDirectByteBuffer out = new ExpandableDirectByteBuffer(1);
            assertEquals(6, store.get(key, 3, 2, out, 4), "an expandable buffer grows");
            assertEquals("direct", out.getStringWithoutLengthAscii(4, 6));
            UnsafeBuffer small = new UnsafeBuffer(new byte[4]);
            assertThrows(IndexOutOfBoundsException.class, () -> store.get(key, 3, 2, small, 0));
            assertTrue(store.containsKey(key, 3, 2));

            ByteBuffer bk = ByteBuffer.wrap(bytes("xbbx")).position(1).limit(3);
            ByteBuffer bv = ByteBuffer.allocateDirect(8).put(bytes("heapbb")).flip();
            store.put(bk, bv);
            assertEquals(1, bk.position(), "put does not move the key buffer");
            ByteBuffer dst = ByteBuffer.allocate(10).position(2);
            assertEquals(6, store.get(bk, dst));
            assertEquals(8, dst.position());
            assertEquals("heapbb", new String(dst.array(), 2, 6));
            assertEquals(-2 - 6, store.get(bk, ByteBuffer.allocate(3)), "too small: the size needed, encoded");

            assertEquals(3, store.size());
            assertEquals(Map.of("a", "uno", "kk", "direct", "bb", "heapbb"), Stores.contents(store));
            assertTrue(store.remove(bytes("a")));
            assertFalse(store.remove(bytes("a")));
            assertTrue(store.remove(bk));
            assertTrue(store.remove(key, 3, 2));
            assertTrue(store.isEmpty());
            Stores.verify(store);
        }
    }

    @Test
    void emptyKeysAndValuesAreEntriesToo() {
        try (OffHeapStore store = Stores.manual("empty").build()) {
            store.put(new byte[0], new byte[0]);
            assertArrayEquals(new byte[0], store.get(new byte[0]));
            assertTrue(store.containsKey(new byte[0]));
            assertEquals(1, store.size());
        }
    }

    @Test
    void computeReplacesRemovesAndKeeps() {
        try (OffHeapStore store = Stores.manual("compute").build()) {
            byte[] k = bytes("counter");
            for (int i = 0; i < 5; i++) {
                assertTrue(store.compute(k, (cur, len, out) -> {
                    long v = cur == null ? 0 : cur.getLong(0);
                    out.putLong(0, v + 1);
                    return 8;
                }));
            }
            assertEquals(5, ByteBuffer.wrap(store.get(k)).order(java.nio.ByteOrder.nativeOrder()).getLong());
            assertTrue(store.compute(k, (cur, len, out) -> ValueUpdate.KEEP));
            assertFalse(store.compute(k, (cur, len, out) -> ValueUpdate.REMOVE));
            assertNull(store.get(k));
            assertFalse(store.compute(k, (cur, len, out) -> ValueUpdate.KEEP), "absent and kept absent");
            assertThrows(IllegalArgumentException.class, () -> store.compute(k, (cur, len, out) -> -7));
            assertTrue(store.isEmpty());
            Stores.verify(store);
        }
    }

    @Test
    void valuesOfMegabytesRoundTripThroughCollections() {
        try (OffHeapStore store = Stores.manual("large").heapCapacity(128L << 20).build()) {
            Random r = new Random(7);
            Map<String, byte[]> model = new HashMap<>();
            for (int i = 0; i < 12; i++) {
                byte[] v = new byte[(1 << 20) + r.nextInt(3 << 20)];
                r.nextBytes(v);
                store.put(bytes("big" + i % 6), v); // overwrites: the old values become garbage
                model.put("big" + i % 6, v);
            }
            for (Mode mode : new Mode[] {Mode.STW, Mode.AUTO}) {
                store.collector().collect(mode);
                Stores.verify(store);
                model.forEach((k, v) -> assertArrayEquals(v, store.get(bytes(k)), k));
            }
            ExpandableArrayBuffer out = new ExpandableArrayBuffer(16);
            byte[] expect = model.get("big3");
            assertEquals(expect.length, store.get(new UnsafeBuffer(bytes("big3")), 0, 4, out, 0));
            assertTrue(Arrays.equals(expect, 0, expect.length, out.byteArray(), 0, expect.length));
        }
    }

    @Test
    void theIndexGrowsAndShrinksSegmentBySegment() {
        try (OffHeapStore store = Stores.manual("grow").expectedEntries(16).segments(4).build()) {
            int n = 20_000;
            for (int i = 0; i < n; i++) store.put(bytes("key-" + i), bytes("value-" + i));
            assertEquals(n, store.size());
            int grown = 0;
            for (int s = 0; s < 4; s++) grown = Math.max(grown, store.segmentFor(s << 30).tableLength());
            assertTrue(grown >= n / 4 / 2, "tables grew: " + grown);
            store.collector().collect(Mode.STW);
            for (int i = 0; i < n; i++) assertArrayEquals(bytes("value-" + i), store.get(bytes("key-" + i)), "key-" + i);
            for (int i = 0; i < n; i++) if (i % 100 != 0) assertTrue(store.remove(bytes("key-" + i)));
            assertEquals(n / 100, store.size());
            int shrunk = 0;
            for (int s = 0; s < 4; s++) shrunk = Math.max(shrunk, store.segmentFor(s << 30).tableLength());
            assertTrue(shrunk < grown / 8, "tables shrank: " + grown + " -> " + shrunk);
            for (int i = 0; i < n; i += 100) assertArrayEquals(bytes("value-" + i), store.get(bytes("key-" + i)));
            assertEquals(n / 100, Stores.contents(store).size());
            store.clear();
            assertTrue(store.isEmpty());
            assertNull(store.get(bytes("key-0")));
            Stores.verify(store);
        }
    }

    @Test
    void statsSayWhatIsStored() {
        try (OffHeapStore store = Stores.manual("stats").build()) {
            StoreStats empty = store.stats();
            assertEquals(0, empty.entries());
            assertEquals(-1, empty.lastCycleLiveBytes());
            assertEquals(0, empty.collections());
            for (int i = 0; i < 100; i++) store.put(bytes("k" + i), new byte[1000]);
            store.collector().collect(Mode.STW);
            StoreStats s = store.stats();
            assertEquals(100, s.entries());
            long keyBytes = 0;
            for (int i = 0; i < 100; i++) keyBytes += ("k" + i).length();
            assertEquals(100 * 1000 + keyBytes, s.dataBytes());
            assertTrue(s.liveBytes() > s.dataBytes(), "the heap holds the data and the index: " + s);
            long scratch = 1024; // each attached thread's few scratch objects, which the store does not count
            assertTrue(s.lastCycleLiveBytes() >= s.liveBytes() && s.lastCycleLiveBytes() <= s.liveBytes() + scratch,
                    "the store's count is what the collector found: " + s);
            assertTrue(s.heapUsedBytes() >= s.lastCycleLiveBytes());
            assertTrue(s.residentBytes() >= s.dataBytes(), s.toString());
            assertEquals(1, s.collections());
            assertTrue(s.lastPauseNanos() > 0);
        }
    }
}
