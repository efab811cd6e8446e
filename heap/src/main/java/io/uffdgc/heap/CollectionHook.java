package io.uffdgc.heap;

/**
 * Installed by the collector; called by a mutator whose allocation does not fit. The
 * mutator runs the hook inside a blocking region (it counts as safe and holds no raw
 * addresses), so the hook may stop the world itself or wait for a collector thread that
 * does. After it returns the allocation is retried once.
 */
@FunctionalInterface
public interface CollectionHook {
    void collect(long requestedBytes);
}
