package io.uffdgc.store;

import io.uffdgc.gc.CollectorConfig;
import io.uffdgc.gc.Mode;
import io.uffdgc.gc.policy.CollectionPolicy;
import io.uffdgc.heap.HeapConfig;

/**
 * How to build a store, in the style of ChronicleMapBuilder and OHCacheBuilder. Every setting
 * has a default: {@code OffHeapStore.builder().build()} is a store for 64 Ki entries in a
 * 1 GiB reservation (reserved, not resident), collecting in the best mode the kernel offers.
 */
public final class OffHeapStoreBuilder {
    String name = "store";
    long expectedEntries = 1 << 16;
    long heapCapacity = HeapConfig.DEFAULT_CAPACITY;
    int segments = 0;
    Mode mode = Mode.AUTO;
    CollectionPolicy policy;
    double growthRatio = LiveRatioPolicy.DEFAULT_RATIO;
    long maxDataBytes = Long.MAX_VALUE;
    CollectorConfig collector = CollectorConfig.defaults();

    OffHeapStoreBuilder() {}

    /** Shown in error messages and thread names. */
    public OffHeapStoreBuilder name(String n) {
        if (n == null || n.isBlank()) throw new IllegalArgumentException("store name must not be null or blank");
        this.name = n;
        return this;
    }

    /** Sizes the initial index; the index grows past it (and shrinks back) segment by segment. */
    public OffHeapStoreBuilder expectedEntries(long n) {
        if (n < 1) throw new IllegalArgumentException("expected entries " + n + " is not positive");
        this.expectedEntries = n;
        return this;
    }

    /** Bytes reserved for the heap (a multiple of 2 MiB): the most the store can ever hold, index included. */
    public OffHeapStoreBuilder heapCapacity(long bytes) {
        this.heapCapacity = bytes;
        return this;
    }

    /** Lock stripes (a power of two, 2..4096); default: 64, or fewer for small stores. */
    public OffHeapStoreBuilder segments(int n) {
        if (n < 2 || n > 4096 || Integer.bitCount(n) != 1)
            throw new IllegalArgumentException("segments " + n + " is not a power of two in [2, 4096]");
        this.segments = n;
        return this;
    }

    /** The mode of the cycles the default policy starts (AUTO: MOVE where the kernel has it). */
    public OffHeapStoreBuilder mode(Mode m) {
        if (m == null) throw new IllegalArgumentException("mode must not be null");
        this.mode = m;
        return this;
    }

    /** Collect when the heap in use reaches ratio times what the last cycle left ({@link LiveRatioPolicy}). */
    public OffHeapStoreBuilder growthRatio(double ratio) {
        new LiveRatioPolicy(ratio, 0, Mode.AUTO); // validates
        this.growthRatio = ratio;
        return this;
    }

    /** Replaces the default policy (and its mode) with p, e.g. CollectionPolicy.manual(). */
    public OffHeapStoreBuilder policy(CollectionPolicy p) {
        if (p == null) throw new IllegalArgumentException("policy must not be null");
        this.policy = p;
        return this;
    }

    /**
     * Bounds the key and value bytes held: a write that would pass the bound first evicts
     * entries (segment-local CLOCK, see {@link OffHeapStore}). Default: no bound.
     */
    public OffHeapStoreBuilder maxDataBytes(long bytes) {
        if (bytes < 1) throw new IllegalArgumentException("maximum data bytes " + bytes + " is not positive");
        this.maxDataBytes = bytes;
        return this;
    }

    /** Collector threads and tuning; its policy is replaced by this builder's. */
    public OffHeapStoreBuilder collectorConfig(CollectorConfig c) {
        if (c == null) throw new IllegalArgumentException("collector config must not be null");
        this.collector = c;
        return this;
    }

    public OffHeapStore build() { return new OffHeapStore(this); }

    /** A store seen as a ConcurrentMap; closing the map closes the store. */
    public <K, V> OffHeapMap<K, V> buildMap(Codec<K> keys, Codec<V> values) { return build().asMap(keys, values); }

    /** The policy set, or the default one, counting live data with liveBytes (the store's own count). */
    CollectionPolicy effectivePolicy(java.util.function.LongSupplier liveBytes) {
        return policy != null ? policy : new LiveRatioPolicy(growthRatio, LiveRatioPolicy.DEFAULT_MIN_GROWTH, mode, liveBytes);
    }

    int effectiveSegments() {
        if (segments != 0) return segments;
        long perSegment = 1024; // below this many entries per stripe, fewer stripes
        int n = 64;
        while (n > 2 && expectedEntries / n < perSegment) n >>= 1;
        return n;
    }
}
