package io.uffdgc.heap;

import io.uffdgc.heap.alloc.AllocationSpace;
import io.uffdgc.heap.layout.ObjectHeader;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * One mutator's thread-local allocation buffer (TLAB): bump allocation in [top, end), a
 * stretch claimed from the heap's shared {@link AllocationSpace}. An object that does not fit
 * what is left and is at least a quarter of a TLAB comes straight from the shared top; a
 * smaller one retires the TLAB (its unused tail becomes a filler, so the heap parses) and
 * claims a new one. Memory is zeroed when it is claimed: below a compacted top it may hold
 * old bytes, and objects must start zeroed (null references).
 *
 * <p>Threading: only the owner thread of its mutator allocates, and only while RUNNING, after
 * a poll. The one other caller is the safepoint requester, which calls {@link #retire} while
 * the owner is not RUNNING (SafepointCoordinator G2 and G3 order the two threads' accesses),
 * and Heap.close(), for a mutator whose thread died. No field needs to be volatile.
 */
final class TlabAllocator {
    private final MemorySegment mem;
    private final AllocationSpace space;
    private final long tlabBytes;
    /** A request of at least this size that does not fit the TLAB skips it and claims exactly its size. */
    private final long largeObjectBytes;

    /** Byte offsets of the current TLAB (both 0 when there is none). */
    private long top, end;

    TlabAllocator(MemorySegment mem, AllocationSpace space, long tlabBytes) {
        this.mem = mem;
        this.space = space;
        this.tlabBytes = tlabBytes;
        this.largeObjectBytes = tlabBytes / 4;
    }

    /**
     * Byte offset of bytes zeroed bytes, or -1 if the heap has no room for them. The hot path
     * is a compare and an add; everything else is out of line.
     */
    long allocate(long bytes) {
        long at = top;
        if (end - at >= bytes) {
            top = at + bytes;
            return at;
        }
        return allocateOutside(bytes);
    }

    private long allocateOutside(long bytes) {
        return bytes >= largeObjectBytes ? allocateDirect(bytes) : refill(bytes);
    }

    private long allocateDirect(long bytes) {
        long at = space.claim(bytes);
        if (at >= 0) zero(at, bytes);
        return at;
    }

    private long refill(long bytes) {
        retire();
        long at = space.claimBuffer(bytes, tlabBytes);
        if (at < 0) return -1;
        long bufferEnd = space.bufferEnd(at, tlabBytes);
        zero(at, bufferEnd - at);
        top = at + bytes;
        end = bufferEnd;
        return at;
    }

    private void zero(long at, long bytes) { mem.asSlice(at, bytes).fill((byte) 0); }

    /** Turns the TLAB's unused tail into a filler so the heap parses, and drops the TLAB. */
    void retire() {
        long tail = end - top;
        if (tail > 0) mem.set(ValueLayout.JAVA_LONG, top, ObjectHeader.filler(tail));
        top = 0;
        end = 0;
    }
}
