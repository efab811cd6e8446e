package io.uffdgc.store;

import static org.junit.jupiter.api.Assertions.*;

import io.uffdgc.gc.CycleStats;
import io.uffdgc.gc.Mode;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Random operations of every kind on an OffHeapMap and on a HashMap, with collections in the
 * given mode between bursts: after every operation the results agree, after every cycle the
 * whole contents agree and the heap verifies.
 */
class OffHeapMapModelTest {
    @ParameterizedTest
    @EnumSource(value = Mode.class, names = {"STW", "COPY", "MOVE"})
    @Timeout(120)
    void agreesWithAHashMapAcrossCollections(Mode mode) {
        try (OffHeapMap<String, String> map = Stores.manual("model-" + mode).expectedEntries(64).segments(8)
                .buildMap(Codecs.STRING, Codecs.STRING)) {
            Stores.assumeMode(map.store(), mode);
            Map<String, String> model = new HashMap<>();
            Random r = new Random(mode.ordinal() * 31L + 5);
            for (int burst = 0; burst < 12; burst++) {
                for (int i = 0; i < 3000; i++) step(r, map, model);
                CycleStats s = map.store().collector().collect(mode);
                assertEquals(mode, s.mode());
                Stores.verify(map.store());
                assertEquals(model.size(), map.size());
                assertEquals(model, new HashMap<>(map), "contents after cycle " + s.cycle());
            }
            map.clear();
            assertTrue(map.isEmpty());
        }
    }

    private static void step(Random r, OffHeapMap<String, String> map, Map<String, String> model) {
        String k = "k" + r.nextInt(400);
        String v = value(r);
        switch (r.nextInt(11)) {
            case 0, 1 -> assertEquals(model.put(k, v), map.put(k, v), "put " + k);
            case 2 -> assertEquals(model.get(k), map.get(k), "get " + k);
            case 3 -> assertEquals(model.remove(k), map.remove(k), "remove " + k);
            case 4 -> assertEquals(model.putIfAbsent(k, v), map.putIfAbsent(k, v), "putIfAbsent " + k);
            case 5 -> assertEquals(model.replace(k, v), map.replace(k, v), "replace " + k);
            case 6 -> {
                String old = r.nextBoolean() ? model.get(k) : v;
                if (old != null) assertEquals(model.replace(k, old, v), map.replace(k, old, v), "replace(k, old, new) " + k);
            }
            case 7 -> {
                String old = r.nextBoolean() ? model.get(k) : v;
                if (old != null) assertEquals(model.remove(k, old), map.remove(k, old), "remove(k, v) " + k);
            }
            case 8 -> assertEquals(model.merge(k, v, (a, b) -> a.length() > 40 ? null : a + b),
                    map.merge(k, v, (a, b) -> a.length() > 40 ? null : a + b), "merge " + k);
            case 9 -> assertEquals(model.compute(k, (key, old) -> old == null ? v : old.length() % 2 == 0 ? null : old + "!"),
                    map.compute(k, (key, old) -> old == null ? v : old.length() % 2 == 0 ? null : old + "!"), "compute " + k);
            default -> {
                assertEquals(model.computeIfAbsent(k, key -> v), map.computeIfAbsent(k, key -> v), "computeIfAbsent " + k);
                assertEquals(model.computeIfPresent(k, (key, old) -> old.endsWith("?") ? null : old + "?"),
                        map.computeIfPresent(k, (key, old) -> old.endsWith("?") ? null : old + "?"), "computeIfPresent " + k);
            }
        }
        assertEquals(model.containsKey(k), map.containsKey(k), "containsKey " + k);
    }

    /** Short and long values, so entries of many sizes come and go. */
    private static String value(Random r) {
        int len = r.nextInt(10) == 0 ? 200 + r.nextInt(3000) : r.nextInt(20);
        StringBuilder b = new StringBuilder(len);
        for (int i = 0; i < len; i++) b.append((char) ('a' + r.nextInt(26)));
        return b.toString();
    }
}
