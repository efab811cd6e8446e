package io.uffdgc.store;

import org.agrona.DirectBuffer;

/** Receives the entries of {@link OffHeapStore#forEach}: views valid only during the call. */
@FunctionalInterface
public interface EntryVisitor {
    void accept(DirectBuffer key, int keyLength, DirectBuffer value, int valueLength);
}
