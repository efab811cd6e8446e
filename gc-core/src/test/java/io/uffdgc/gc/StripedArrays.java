package io.uffdgc.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.uffdgc.heap.Heap;
import io.uffdgc.heap.Mutator;
import io.uffdgc.uffd.Errno;
import io.uffdgc.uffd.gen.testing.UffdgcTesting;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A heap of 4000-byte long arrays, one in three released, so garbage sits between the
 * survivors and every page moves; each array holds its index in element 0. And a touch of
 * a heap page from a native thread (never a Java thread blocked on a userfault).
 */
final class StripedArrays {
    private final long[] kept;

    private StripedArrays(long[] kept) {
        this.kept = kept;
    }

    static StripedArrays fill(Heap heap, int arrays) {
        long[] kept = new long[arrays];
        try (Mutator m = heap.attach()) {
            for (int i = 0; i < kept.length; i++) {
                long a = m.newLongArray(500);
                m.putLongElement(a, 0, i);
                if (i % 3 == 0) m.release(a);      // garbage between, so every page moves
                else kept[i] = a;                  // unscoped: outlives this mutator
            }
        }
        return new StripedArrays(kept);
    }

    /** Every survivor still holds its index. */
    void check(Heap heap) {
        try (Mutator m = heap.attach()) {
            for (int i = 0; i < kept.length; i++)
                if (kept[i] != 0) assertEquals(i, m.getLongElement(kept[i], 0), "array " + i + " after the cycle");
        }
    }

    /** Reads one byte of heap page `page` from a native thread and waits (30 s at most) until the read is done. */
    static void touch(Heap heap, int page, Arena arena) {
        long h = UffdgcTesting.ugc_test_touch_start(heap.base() + page * 4096L);
        if (h <= 0) throw new IllegalStateException("ugc_test_touch_start: " + Errno.name((int) -h));
        MemorySegment value = arena.allocate(ValueLayout.JAVA_BYTE);
        if (UffdgcTesting.ugc_test_touch_join(h, 30_000, value) != 1)
            throw new AssertionError("the fault on page " + page + " was not served within 30 s");
    }
}
