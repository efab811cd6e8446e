package io.uffdgc.bench.store.ycsb;

import io.uffdgc.store.OffHeapStore;

/** The binding for this project's store, through its bytes API; its own policy collects. */
public final class UffdgcStoreDB extends RecordDB {
    private final OffHeapStore store;

    public UffdgcStoreDB(Sizing s) {
        store = OffHeapStore.builder().name("bench-store").expectedEntries(s.entries())
                .heapCapacity(s.generousCapacity()).build();
    }

    /** The store itself, for its statistics and collector. */
    public OffHeapStore store() { return store; }

    @Override
    public byte[] getBytes(byte[] key) { return store.get(key); }

    @Override
    public boolean putBytes(byte[] key, byte[] value) {
        store.put(key, value);
        return true;
    }

    @Override
    public boolean removeBytes(byte[] key) { return store.remove(key); }

    @Override
    public void close() { store.close(); }
}
