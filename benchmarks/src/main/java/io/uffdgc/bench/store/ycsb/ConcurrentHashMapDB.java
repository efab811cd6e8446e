package io.uffdgc.bench.store.ycsb;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/** The reference: the JDK's ConcurrentHashMap of byte keys to byte arrays, on the Java heap. */
public final class ConcurrentHashMapDB extends RecordDB {
    private final ConcurrentHashMap<ByteKey, byte[]> map;

    public ConcurrentHashMapDB(Sizing s) { map = new ConcurrentHashMap<>((int) Math.min(s.entries(), 1 << 30)); }

    @Override
    public byte[] getBytes(byte[] key) { return map.get(new ByteKey(key)); }

    @Override
    public boolean putBytes(byte[] key, byte[] value) {
        map.put(new ByteKey(key), value);
        return true;
    }

    @Override
    public boolean removeBytes(byte[] key) { return map.remove(new ByteKey(key)) != null; }

    @Override
    public void close() { map.clear(); }

    /** A key compared by its bytes, its hash computed once. */
    record ByteKey(byte[] bytes, int hash) {
        ByteKey(byte[] bytes) { this(bytes, Arrays.hashCode(bytes)); }

        @Override public boolean equals(Object o) { return o instanceof ByteKey k && k.hash == hash && Arrays.equals(k.bytes, bytes); }

        @Override public int hashCode() { return hash; }
    }
}
