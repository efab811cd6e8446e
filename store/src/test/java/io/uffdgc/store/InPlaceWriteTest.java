package io.uffdgc.store;

import static org.junit.jupiter.api.Assertions.*;

import io.uffdgc.gc.Mode;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A put of a value as long as the present one writes it in place (Segment's seqlock): nothing
 * is allocated, and no reader, by any read path, sees a value half old and half new while
 * writers overwrite and cycles run.
 */
class InPlaceWriteTest {
    private static final int KEYS = 64, LENGTH = 4096, WRITES = 100_000;

    @Test
    void aValueOfTheSameLengthIsWrittenOverTheOldOne() {
        try (OffHeapStore store = Stores.manual("in-place").build()) {
            byte[] k = Stores.bytes("counter");
            store.put(k, uniform(1, 1024));
            store.put(Stores.bytes("other"), uniform(9, 64));  // the TLAB's state settles before the count
            long used = store.stats().heapUsedBytes(), live = store.stats().liveBytes();
            for (int v = 2; v <= 2000; v++) store.put(k, uniform(v, 1024));
            assertArrayEquals(uniform(2000, 1024), store.get(k));
            assertEquals(used, store.stats().heapUsedBytes(), "2,000 same-length puts (2 MiB) allocated nothing");
            assertEquals(live, store.stats().liveBytes());
            store.put(k, uniform(3, 1000));
            assertArrayEquals(uniform(3, 1000), store.get(k), "another length is a new entry");
            assertNotEquals(live, store.stats().liveBytes());
            assertEquals(2, store.size());
            Stores.verify(store);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Mode.class, names = {"STW", "COPY", "MOVE"})
    @Timeout(180)
    void noReaderSeesAValueHalfWritten(Mode mode) throws Exception {
        try (OffHeapStore store = Stores.manual("in-place-" + mode).heapCapacity(64L << 20).segments(2).build()) {
            Stores.assumeMode(store, mode);
            for (int i = 0; i < KEYS; i++) store.put(key(i), uniform(0, LENGTH));
            ExecutorService pool = Executors.newFixedThreadPool(3);
            AtomicBoolean done = new AtomicBoolean();
            AtomicLong reads = new AtomicLong();
            List<Future<?>> threads = new ArrayList<>();
            try {
                threads.add(pool.submit(() -> {
                    try {
                        for (int w = 1; w <= WRITES; w++) store.put(key(w % KEYS), uniform(w, LENGTH));
                    } finally {
                        done.set(true);
                    }
                    return null;
                }));
                threads.add(pool.submit(() -> { readByEveryPath(store, done, reads); return null; }));
                threads.add(pool.submit(() -> { walk(store, done, reads); return null; }));
                int cycles = 0;
                while (!done.get()) {
                    store.collector().collect(mode);
                    cycles++;
                }
                for (Future<?> f : threads) f.get(60, TimeUnit.SECONDS);
                assertTrue(cycles > 0, "cycles ran during the writes");
                assertTrue(reads.get() > 1000, "reads ran during the writes: " + reads.get());
                assertTrue(store.stats().readsRepeated() > 0, "some reads met a write and were done again under the lock");
            } finally {
                done.set(true);      // on a failure here the readers stop too, so the failure is the one reported
                pool.shutdownNow();
                assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
            }
            for (int i = 0; i < KEYS; i++) checkUniform(store.get(key(i)), "after the writes");
            Stores.verify(store);
        }
    }

    private static void readByEveryPath(OffHeapStore store, AtomicBoolean done, AtomicLong reads) {
        ByteBuffer direct = ByteBuffer.allocateDirect(LENGTH);
        ExpandableArrayBuffer dst = new ExpandableArrayBuffer(16);
        UnsafeBuffer k = new UnsafeBuffer(new byte[16]);
        for (int i = 0; !done.get(); i++) {
            byte[] kb = key(i % KEYS);
            checkUniform(store.get(kb), "get(byte[])");
            direct.clear();
            assertEquals(LENGTH, store.get(ByteBuffer.wrap(kb), direct));
            byte[] viaBuffer = new byte[LENGTH];
            direct.flip().get(viaBuffer);
            checkUniform(viaBuffer, "get(ByteBuffer, ByteBuffer)");
            k.putBytes(0, kb);
            assertEquals(LENGTH, store.get(k, 0, kb.length, dst, 0));
            checkUniform(Arrays.copyOf(dst.byteArray(), LENGTH), "get(DirectBuffer, MutableDirectBuffer)");
            reads.addAndGet(3);
        }
    }

    private static void walk(OffHeapStore store, AtomicBoolean done, AtomicLong reads) {
        while (!done.get()) {
            store.forEach((k, kl, v, vl) -> {
                byte[] bytes = new byte[vl];
                v.getBytes(0, bytes);
                checkUniform(bytes, "forEach");
                reads.incrementAndGet();
            });
        }
    }

    private static byte[] key(int i) { return Stores.bytes("key-" + i); }

    /** length bytes, every one the low byte of version: a torn copy shows two values. */
    private static byte[] uniform(int version, int length) {
        byte[] v = new byte[length];
        Arrays.fill(v, (byte) version);
        return v;
    }

    private static void checkUniform(byte[] v, String path) {
        assertNotNull(v, path + ": a key went missing");
        assertEquals(LENGTH, v.length, path);
        for (int i = 1; i < v.length; i++)
            if (v[i] != v[0]) fail(path + ": a torn value, byte 0 is " + v[0] + " and byte " + i + " is " + v[i]);
    }
}
