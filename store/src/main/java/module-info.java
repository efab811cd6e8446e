/**
 * An off-heap key-value store over one managed heap and its collector: a bytes API
 * ({@code OffHeapStore}) and a {@code ConcurrentMap} view through codecs ({@code OffHeapMap}).
 * Its index and its entries live in the heap, so compaction gives memory back as entries go.
 */
module io.uffdgc.store {
    requires transitive io.uffdgc.gc;
    requires transitive io.uffdgc.heap;
    requires transitive org.agrona;

    exports io.uffdgc.store;
}
