package io.uffdgc.store;

import java.lang.foreign.MemorySegment;
import org.agrona.DirectBuffer;

/** A MemorySegment over an Agrona buffer's bytes, so the heap copies to or from it directly. */
final class DirectBuffers {
    private DirectBuffers() {}

    static MemorySegment segmentOf(DirectBuffer b) {
        byte[] array = b.byteArray();
        if (array != null) return MemorySegment.ofArray(array).asSlice(b.wrapAdjustment(), b.capacity());
        return MemorySegment.ofAddress(b.addressOffset()).reinterpret(b.capacity());
    }
}
