package io.uffdgc.bench.store.ycsb;

/**
 * What a store is told before it is filled, the same for every store: the most entries it
 * will hold, the average key and value sizes, and the most key and value bytes live at once.
 * Chronicle Map and OHC size themselves from it at creation (as their users must); this
 * store reserves address space from it and grows into it; the on-heap map presizes.
 */
public record Sizing(long entries, int averageKeyBytes, int averageValueBytes, long maxDataBytes) {
    public Sizing {
        if (entries < 1 || averageKeyBytes < 1 || averageValueBytes < 1 || maxDataBytes < 1)
            throw new IllegalArgumentException("sizing must be positive: " + entries + " entries, key " + averageKeyBytes
                    + " B, value " + averageValueBytes + " B, data " + maxDataBytes + " B");
    }

    /** Four times the data, at least 1 GiB, in 2 MiB units: address space (ours) or an accounting bound (OHC). */
    public long generousCapacity() {
        long c = Math.max(1L << 30, 4 * maxDataBytes);
        return (c + (2L << 20) - 1) & -(2L << 20);
    }
}
