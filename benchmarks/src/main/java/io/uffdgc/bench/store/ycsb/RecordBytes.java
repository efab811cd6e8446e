package io.uffdgc.bench.store.ycsb;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import site.ycsb.ByteArrayByteIterator;
import site.ycsb.ByteIterator;

/**
 * A YCSB record (field name to bytes) as one byte array, the way YCSB's key-value bindings
 * (RocksDB's, for one) store it: per field a 2-byte name length, the name, a 4-byte value
 * length, the value. Every store gets the same bytes, so they store the same amount.
 */
final class RecordBytes {
    private RecordBytes() {}

    static byte[] key(String key) { return key.getBytes(StandardCharsets.ISO_8859_1); }

    static byte[] encode(Map<String, ByteIterator> fields) {
        Map<String, byte[]> raw = new LinkedHashMap<>();
        fields.forEach((k, v) -> raw.put(k, v.toArray()));
        return encodeRaw(raw);
    }

    private static byte[] encodeRaw(Map<String, byte[]> fields) {
        int size = 0;
        for (Map.Entry<String, byte[]> e : fields.entrySet()) size += 2 + e.getKey().length() + 4 + e.getValue().length;
        ByteBuffer b = ByteBuffer.allocate(size);
        fields.forEach((k, v) -> {
            b.putShort((short) k.length()).put(k.getBytes(StandardCharsets.ISO_8859_1)).putInt(v.length).put(v);
        });
        return b.array();
    }

    /** Puts the fields named in wanted (all if null) of record into result. */
    static void decode(byte[] record, Set<String> wanted, Map<String, ByteIterator> result) {
        ByteBuffer b = ByteBuffer.wrap(record);
        while (b.hasRemaining()) {
            byte[] name = new byte[b.getShort()];
            b.get(name);
            int len = b.getInt();
            String field = new String(name, StandardCharsets.ISO_8859_1);
            if (wanted == null || wanted.contains(field)) result.put(field, new ByteArrayByteIterator(record, b.position(), len));
            b.position(b.position() + len);
        }
    }

    /** record with the fields of update replaced or added. */
    static byte[] merge(byte[] record, Map<String, ByteIterator> update) {
        Map<String, byte[]> fields = new LinkedHashMap<>();
        ByteBuffer b = ByteBuffer.wrap(record);
        while (b.hasRemaining()) {
            byte[] name = new byte[b.getShort()];
            b.get(name);
            byte[] value = new byte[b.getInt()];
            b.get(value);
            fields.put(new String(name, StandardCharsets.ISO_8859_1), value);
        }
        update.forEach((k, v) -> fields.put(k, v.toArray()));
        return encodeRaw(fields);
    }
}
