package io.uffdgc.heap.internal;

/** A hold on a heap's mapping ({@link HeapInternals#holdOpen}); closing it lets Heap.close() go on. */
public interface HeapReadGuard extends AutoCloseable {
    @Override
    void close();
}
