package io.uffdgc.store;

import static org.junit.jupiter.api.Assertions.*;

import io.uffdgc.gc.CycleStats;
import io.uffdgc.gc.Mode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Writers and readers on several threads while a collector thread runs cycles back to back
 * in the given mode. Each writer owns its keys, so it knows exactly what each of them must
 * hold and checks every read of its own; every value carries its key's hash and a checksum,
 * so a reader of anyone's key detects a torn or misplaced value. At the end the store equals
 * the writers' merged model, and the heap verifies.
 */
class ConcurrentStoreTest {
    private static final int WRITERS = 2, READERS = 2, KEYS_PER_WRITER = 400, OPS_PER_WRITER = 40_000;

    @ParameterizedTest
    @EnumSource(value = Mode.class, names = {"STW", "COPY", "MOVE"})
    @Timeout(180)
    void noLostOrTornEntryWhileCyclesRun(Mode mode) throws Exception {
        try (OffHeapStore store = Stores.manual("concurrent-" + mode).heapCapacity(128L << 20).expectedEntries(64)
                .segments(4).build()) {
            Stores.assumeMode(store, mode);
            Map<String, byte[]> merged = new ConcurrentHashMap<>();
            ExecutorService pool = Executors.newFixedThreadPool(WRITERS + READERS);
            AtomicLong hits = new AtomicLong();
            List<Future<?>> writers = new ArrayList<>(), readers = new ArrayList<>();
            try {
                for (int w = 0; w < WRITERS; w++) {
                    int id = w;
                    writers.add(pool.submit(() -> { write(store, id, merged); return null; }));
                }
                for (int rd = 0; rd < READERS; rd++) {
                    long seed = 100 + rd;
                    readers.add(pool.submit(() -> { read(store, seed, writers, hits); return null; }));
                }
                List<CycleStats> cycles = new ArrayList<>();
                while (!writers.stream().allMatch(Future::isDone)) cycles.add(store.collector().collect(mode));
                for (Future<?> f : writers) f.get(60, TimeUnit.SECONDS);
                for (Future<?> f : readers) f.get(60, TimeUnit.SECONDS);
                assertTrue(cycles.size() >= 3, "cycles ran during the writes: " + cycles.size());
                cycles.forEach(c -> assertEquals(mode, c.mode()));
                assertTrue(hits.get() > 0, "readers found entries");
            } finally {
                pool.shutdownNow();
                assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
            }
            Stores.verify(store);
            Map<String, String> expected = new HashMap<>();
            merged.forEach((k, v) -> expected.put(k, new String(v, StandardCharsets.ISO_8859_1)));
            Map<String, String> actual = Stores.contents(store);
            assertEquals(expected.keySet(), actual.keySet(), "keys");
            expected.forEach((k, v) -> assertEquals(v, actual.get(k), () -> "value of " + k));
            assertEquals(merged.size(), store.size());
        }
    }

    private static String key(int writer, int i) { return "w" + writer + "-" + i; }

    private static void write(OffHeapStore store, int id, Map<String, byte[]> merged) {
        Random r = new Random(id);
        Map<String, byte[]> mine = new HashMap<>();
        for (long version = 1; version <= OPS_PER_WRITER; version++) {
            String k = key(id, r.nextInt(KEYS_PER_WRITER));
            byte[] kb = k.getBytes(StandardCharsets.UTF_8);
            int op = r.nextInt(10);
            if (op < 5) {
                byte[] v = value(kb, version);
                store.put(kb, v);
                mine.put(k, v);
            } else if (op < 7) {
                assertEquals(mine.remove(k) != null, store.remove(kb), "remove " + k);
            } else if (op < 8) {
                long ver = version;
                byte[] v = value(kb, ver);
                store.compute(kb, (cur, len, out) -> {
                    if (cur != null) checkValue(kb, copy(cur, len));
                    out.putBytes(0, v);
                    return v.length;
                });
                mine.put(k, v);
            } else {
                assertArrayEquals(mine.get(k), store.get(kb), "own key " + k);
            }
        }
        merged.putAll(mine);
    }

    private static byte[] copy(org.agrona.DirectBuffer b, int len) {
        byte[] out = new byte[len];
        b.getBytes(0, out);
        return out;
    }

    private static void read(OffHeapStore store, long seed, List<Future<?>> writers, AtomicLong hits) {
        Random r = new Random(seed);
        while (!writers.stream().allMatch(Future::isDone)) {
            byte[] kb = key(r.nextInt(WRITERS), r.nextInt(KEYS_PER_WRITER)).getBytes(StandardCharsets.UTF_8);
            byte[] v = store.get(kb);
            if (v != null) {
                checkValue(kb, v);
                hits.incrementAndGet();
            }
        }
    }

    /** [version 8][key hash 4][filler, length from the version][crc32 of all before, 8]. */
    static byte[] value(byte[] key, long version) {
        int filler = (int) (version * 37 % 700);
        ByteBuffer b = ByteBuffer.allocate(8 + 4 + filler + 8);
        b.putLong(version).putInt(java.util.Arrays.hashCode(key));
        for (int i = 0; i < filler; i++) b.put((byte) (version + i));
        CRC32 crc = new CRC32();
        crc.update(b.array(), 0, b.position());
        b.putLong(crc.getValue());
        return b.array();
    }

    static void checkValue(byte[] key, byte[] v) {
        assertTrue(v.length >= 20, "value too short: " + v.length);
        ByteBuffer b = ByteBuffer.wrap(v);
        long version = b.getLong();
        assertEquals(java.util.Arrays.hashCode(key), b.getInt(), "value of another key");
        assertEquals(8 + 4 + (int) (version * 37 % 700) + 8, v.length, "length does not match version " + version);
        CRC32 crc = new CRC32();
        crc.update(v, 0, v.length - 8);
        assertEquals(crc.getValue(), ByteBuffer.wrap(v, v.length - 8, 8).getLong(), "torn value");
    }
}
