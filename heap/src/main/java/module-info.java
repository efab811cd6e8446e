/**
 * The off-heap managed heap: reservation, layouts, handles, typed access through
 * {@code Mutator}s, heap safepoints, the verifier.
 *
 * <p>{@code io.uffdgc.heap.internal} holds what only the collector may do (move the top,
 * read the descriptor and the whole range, reach the handle table): it is exported to
 * {@code io.uffdgc.gc} alone. {@code io.uffdgc.heap.alloc} (TLAB bookkeeping) is not
 * exported at all.
 */
module io.uffdgc.heap {
    requires transitive io.uffdgc.uffd;
    requires transitive HdrHistogram;   // Heap.timeToSafepoint()
    requires org.agrona;

    exports io.uffdgc.heap;
    exports io.uffdgc.heap.handle;
    exports io.uffdgc.heap.layout;
    exports io.uffdgc.heap.verify;
    exports io.uffdgc.heap.internal to io.uffdgc.gc;
}
