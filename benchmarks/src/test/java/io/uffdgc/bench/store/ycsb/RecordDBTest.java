package io.uffdgc.bench.store.ycsb;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.Vector;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import site.ycsb.ByteIterator;
import site.ycsb.Status;
import site.ycsb.StringByteIterator;

/**
 * The bindings keep YCSB's contract, each against its real store in this JVM: a record reads
 * back field for field, a read of some fields returns those alone, an update replaces the
 * fields it names and keeps the rest, and a missing key is NOT_FOUND. (Chronicle Map needs its
 * --add-opens, which this JVM does not have; StoreCommandTest runs it in a child, where a
 * record it lost would fail a read.)
 */
class RecordDBTest {
    static final Sizing SIZING = new Sizing(1000, 23, 1120, 1000 * 1143);

    static Stream<Arguments> bindings() {
        return Stream.of(Arguments.of("uffdgc-store", (Function<Sizing, RecordDB>) UffdgcStoreDB::new),
                Arguments.of("ohc", (Function<Sizing, RecordDB>) OhcDB::new),
                Arguments.of("chm-on-heap", (Function<Sizing, RecordDB>) ConcurrentHashMapDB::new));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bindings")
    void keepsYcsbsContract(String name, Function<Sizing, RecordDB> open) {
        try (RecordDB db = open.apply(SIZING)) {
            Map<String, String> record = new TreeMap<>();
            for (int i = 0; i < 10; i++) record.put("field" + i, "value-" + i + "-" + "x".repeat(i * 10));
            assertEquals(Status.OK, db.insert("usertable", "user1", StringByteIterator.getByteIteratorMap(record)));
            assertEquals(record, read(db, "user1", null));
            assertEquals(Map.of("field3", record.get("field3")), read(db, "user1", Set.of("field3")));

            assertEquals(Status.OK, db.update("usertable", "user1",
                    StringByteIterator.getByteIteratorMap(Map.of("field3", "changed", "field10", "added"))));
            Map<String, String> updated = new TreeMap<>(record);
            updated.put("field3", "changed");
            updated.put("field10", "added");
            assertEquals(updated, read(db, "user1", null));

            Map<String, ByteIterator> none = new HashMap<>();
            assertEquals(Status.NOT_FOUND, db.read("usertable", "user2", null, none));
            assertEquals(0, none.size());
            assertEquals(Status.NOT_FOUND, db.update("usertable", "user2", StringByteIterator.getByteIteratorMap(record)));
            assertEquals(Status.NOT_IMPLEMENTED, db.scan("usertable", "user1", 10, null, new Vector<>()));
            assertEquals(Status.OK, db.delete("usertable", "user1"));
            assertEquals(Status.NOT_FOUND, db.delete("usertable", "user1"));
            assertEquals(Status.NOT_FOUND, db.read("usertable", "user1", null, none));
        }
    }

    private static Map<String, String> read(RecordDB db, String key, Set<String> fields) {
        Map<String, ByteIterator> out = new HashMap<>();
        assertEquals(Status.OK, db.read("usertable", key, fields, out));
        return new TreeMap<>(StringByteIterator.getStringMap(out));
    }
}
