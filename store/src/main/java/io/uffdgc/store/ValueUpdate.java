package io.uffdgc.store;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The function of {@link OffHeapStore#compute}: from the present value (or none) to the new
 * one. It runs with the key's segment locked against other writers (readers go on), so it
 * must be short and must not use the store itself (the store refuses, as ConcurrentHashMap
 * refuses recursive updates).
 */
@FunctionalInterface
public interface ValueUpdate {
    /** Return value: leave the entry absent, or remove it. */
    int REMOVE = -1;
    /** Return value: change nothing. */
    int KEEP = -2;

    /**
     * @param current the present value's bytes [0, currentLength), or null if the key is absent;
     *                valid only during the call
     * @param out     where to write the new value, from index 0 (grows as needed)
     * @return the new value's length, or {@link #REMOVE} or {@link #KEEP}
     */
    int apply(DirectBuffer current, int currentLength, MutableDirectBuffer out);
}
