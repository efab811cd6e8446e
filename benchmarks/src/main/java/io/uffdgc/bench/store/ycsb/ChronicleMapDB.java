package io.uffdgc.bench.store.ycsb;

import net.openhft.chronicle.map.ChronicleMap;

/** The binding for Chronicle Map (in memory, not persisted): sized up front from the sizing, as it must be. */
public final class ChronicleMapDB extends RecordDB {
    private final ChronicleMap<byte[], byte[]> map;

    public ChronicleMapDB(Sizing s) {
        map = ChronicleMap.of(byte[].class, byte[].class).name("bench-chronicle").entries(s.entries())
                .averageKeySize(s.averageKeyBytes()).averageValueSize(s.averageValueBytes()).create();
    }

    @Override
    public byte[] getBytes(byte[] key) { return map.get(key); }

    @Override
    public boolean putBytes(byte[] key, byte[] value) {
        map.put(key, value);
        return true;
    }

    @Override
    public boolean removeBytes(byte[] key) { return map.remove(key) != null; }

    @Override
    public void close() { map.close(); }
}
