package io.uffdgc.store;

import static io.uffdgc.store.Stores.bytes;
import static org.junit.jupiter.api.Assertions.*;

import io.uffdgc.gc.Mode;
import java.nio.ByteBuffer;
import java.util.Map;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

/**
 * Every bad input gets an exception that names the problem, and leaves the store as it was
 * (same contents) and its heap verifying.
 */
@Timeout(120)
class BadInputTest {
    private OffHeapStore store;
    private Map<String, String> before;

    @BeforeEach
    void fill() {
        store = Stores.manual("bad").heapCapacity(16L << 20).build();
        for (int i = 0; i < 50; i++) store.put(bytes("k" + i), bytes("v" + i));
        before = Stores.contents(store);
    }

    @AfterEach
    void unchanged() {
        if (!store.isClosed()) {
            assertEquals(before, Stores.contents(store), "contents after the refused call");
            Stores.verify(store);
            store.collector().collect(Mode.STW);
            Stores.verify(store);
            assertEquals(before, Stores.contents(store), "contents after a cycle");
            store.close();
        }
    }

    private static <T extends Throwable> void refused(Class<T> type, String says, Executable call) {
        T e = assertThrows(type, call);
        assertTrue(e.getMessage() != null && e.getMessage().contains(says), () -> "message '" + e.getMessage() + "' lacks '" + says + "'");
    }

    @Test
    void nullKeysAndValues() {
        refused(NullPointerException.class, "key", () -> store.put((byte[]) null, bytes("x")));
        refused(NullPointerException.class, "value", () -> store.put(bytes("k1"), (byte[]) null));
        refused(NullPointerException.class, "key", () -> store.get((byte[]) null));
        refused(NullPointerException.class, "key", () -> store.remove((ByteBuffer) null));
        refused(NullPointerException.class, "key", () -> store.containsKey(null, 0, 1));
        OffHeapMap<String, String> map = store.asMap(Codecs.STRING, Codecs.STRING);
        refused(NullPointerException.class, "key", () -> map.put(null, "x"));
        refused(NullPointerException.class, "value", () -> map.put("k1", null));
        refused(NullPointerException.class, "key", () -> map.get(null));
    }

    @Test
    void oversizedKeysAndBadRanges() {
        byte[] huge = new byte[OffHeapStore.MAX_KEY_BYTES + 1];
        refused(IllegalArgumentException.class, "longer than", () -> store.put(huge, bytes("x")));
        refused(IllegalArgumentException.class, "longer than", () -> store.get(huge));
        UnsafeBuffer b = new UnsafeBuffer(new byte[8]);
        refused(IndexOutOfBoundsException.class, "outside", () -> store.put(b, 4, 8, b, 0, 1));
        refused(IndexOutOfBoundsException.class, "outside", () -> store.put(b, 0, 2, b, -1, 1));
        refused(IndexOutOfBoundsException.class, "does not fit", () -> store.get(new UnsafeBuffer(bytes("k1")), 0, 2,
                new UnsafeBuffer(new byte[1]), 0));
    }

    @Test
    void aValueLargerThanTheHeap() {
        byte[] big = new byte[17 << 20];
        refused(IllegalArgumentException.class, "cannot fit the heap", () -> store.put(bytes("k1"), big));
        refused(IllegalArgumentException.class, "cannot fit the heap", () -> store.compute(bytes("k2"), (c, l, out) -> {
            out.setMemory(0, big.length, (byte) 1);
            return big.length;
        }));
    }

    @Test
    void aFullHeap() {
        byte[] chunk = new byte[3 << 20];
        int stored = 0;
        StoreFullException full = null;
        for (int i = 0; i < 10 && full == null; i++) {
            try {
                store.put(bytes("chunk" + i), chunk);
                stored++;
            } catch (StoreFullException e) {
                full = e;
            }
        }
        assertNotNull(full, "a 16 MiB heap cannot hold ten 3 MiB values");
        assertTrue(full.getMessage().contains("no room"), full.getMessage());
        assertTrue(stored >= 3, "it held a few first: " + stored);
        for (int i = 0; i < stored; i++) assertArrayEquals(chunk, store.get(bytes("chunk" + i)));
        assertNull(store.get(bytes("chunk" + stored)), "the write that failed left nothing");
        for (int i = 0; i < stored; i++) assertTrue(store.remove(bytes("chunk" + i)));
        store.put(bytes("after"), chunk); // collecting the removed chunks makes room again
        assertTrue(store.remove(bytes("after")));
    }

    @Test
    void aCodecThatThrowsHalfway() {
        Codec<String> breaksOnX = new Codec<>() {
            @Override public int encode(String value, MutableDirectBuffer out) {
                int n = Codecs.STRING.encode(value, out);
                if (value.contains("X")) throw new IllegalStateException("codec refuses " + value + " after writing " + n + " bytes");
                return n;
            }

            @Override public String decode(DirectBuffer in, int length) {
                String s = Codecs.STRING.decode(in, length);
                if (s.contains("X")) throw new IllegalStateException("codec cannot read " + s);
                return s;
            }
        };
        OffHeapMap<String, String> map = store.asMap(Codecs.STRING, breaksOnX);
        refused(IllegalStateException.class, "refuses", () -> map.put("k1", "vX"));
        refused(IllegalStateException.class, "refuses", () -> map.put("new", "vX"));
        refused(IllegalStateException.class, "refuses", () -> map.replace("k1", "v1", "vX"));
        refused(IllegalStateException.class, "refuses", () -> map.merge("k2", "X", (a, b) -> a + b));
        refused(IllegalStateException.class, "refuses", () -> map.compute("k3", (k, v) -> v + "X"));
        assertEquals("v1", map.get("k1"));
    }

    @Test
    void aComputeFunctionThatThrowsOrReentersTheStore() {
        OffHeapMap<String, String> map = store.asMap(Codecs.STRING, Codecs.STRING);
        refused(ArithmeticException.class, "boom", () -> map.compute("k1", (k, v) -> { throw new ArithmeticException("boom"); }));
        refused(IllegalStateException.class, "must not touch the store", () -> map.compute("k1", (k, v) -> map.get("k2")));
        refused(IllegalStateException.class, "must not touch the store", () -> map.computeIfAbsent("absent", k -> map.put("k5", "z")));
        assertEquals("v1", map.get("k1"), "the thread works normally after both");
    }

    @Test
    void useAfterClose() {
        OffHeapMap<String, String> map = store.asMap(Codecs.STRING, Codecs.STRING);
        store.close();
        store.close(); // twice is fine
        assertTrue(store.isClosed());
        refused(StoreClosedException.class, "closed", () -> store.get(bytes("k1")));
        refused(StoreClosedException.class, "closed", () -> store.put(bytes("k1"), bytes("x")));
        refused(StoreClosedException.class, "closed", () -> map.get("k1"));
        refused(StoreClosedException.class, "closed", () -> store.forEach((k, kl, v, vl) -> {}));
        refused(StoreClosedException.class, "closed", store::clear);
        assertTrue(store.heap().isClosed(), "closing the store closes its heap");
    }
}
