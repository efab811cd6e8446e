package io.uffdgc.uffd;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

class MemoryTest {
    static final long MIB = 1 << 20;

    @Test
    void reserveIsAlignedAndCommitsNothingUntilTouched() {
        long addr = Memory.reserve(64 * MIB, 2 * MIB);
        try {
            assertEquals(0, addr % (2 * MIB));
            assertEquals(0, Memory.residentBytes(addr, 64 * MIB));
            MemorySegment seg = Memory.segment(addr, 64 * MIB);
            seg.set(ValueLayout.JAVA_LONG, 3 * MIB, 42L);
            assertEquals(Memory.pageSize(), Memory.residentBytes(addr, 64 * MIB));
            Memory.advise(addr, 64 * MIB, Memory.Advice.DONTNEED);
            assertEquals(0, seg.get(ValueLayout.JAVA_LONG, 3 * MIB));
        } finally {
            Memory.unmap(addr, 64 * MIB);
        }
    }

    @Test
    void timedTouchReadsOnlyAMissingPageAndRefusesAnUnmappedOne() {
        long addr = Memory.reserve(2 * Memory.pageSize(), Memory.pageSize());
        try {
            long first = Memory.timedTouch(addr + 17);
            assertTrue(first >= 0, "a missing page is read and timed: " + first);
            assertEquals(Memory.pageSize(), Memory.residentBytes(addr, 2 * Memory.pageSize()), "the read faulted it in");
            assertEquals(-1, Memory.timedTouch(addr + 17), "a resident page is not read");
        } finally {
            Memory.unmap(addr, 2 * Memory.pageSize());
        }
        // Page 0 is never mapped (vm.mmap_min_addr): mincore refuses it before anything is read.
        NativeCallException e = assertThrows(NativeCallException.class, () -> Memory.timedTouch(0));
        assertTrue(e.getMessage().contains("ENOMEM"), e::getMessage);
    }

    @Test
    void sixteenGibReservationCostsNothing() {
        long len = 16L << 30;
        long addr = Memory.reserve(len, 1L << 30);
        try {
            assertEquals(0, addr % (1L << 30));
            assertEquals(0, Memory.residentBytes(addr, len));
        } finally {
            Memory.unmap(addr, len);
        }
    }

    @Test
    void remapDontUnmapMovesPagesAndLeavesTheOldRangeEmpty() {
        long heap = Memory.reserve(4 * MIB, 2 * MIB);
        long from = Memory.reserve(4 * MIB, 2 * MIB, false);
        try {
            MemorySegment h = Memory.segment(heap, 4 * MIB);
            for (long off = 0; off < 4 * MIB; off += Memory.pageSize()) h.set(ValueLayout.JAVA_LONG, off, off + 1);
            Memory.remapDontUnmap(heap, 4 * MIB, from);
            MemorySegment f = Memory.segment(from, 4 * MIB);
            for (long off = 0; off < 4 * MIB; off += Memory.pageSize()) {
                assertEquals(off + 1, f.get(ValueLayout.JAVA_LONG, off));
                assertEquals(0, h.get(ValueLayout.JAVA_LONG, off), "old range reads as fresh zero memory");
            }
        } finally {
            Memory.unmap(heap, 4 * MIB);
            Memory.unmap(from, 4 * MIB);
        }
    }

    @Test
    void badArgumentsAreNamedBeforeTheKernelSeesThem() {
        var e = assertThrows(IllegalArgumentException.class, () -> Memory.reserve(4097, 4096));
        assertTrue(e.getMessage().contains("page size"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Memory.reserve(4096, 3 * 4096));
        assertThrows(IllegalArgumentException.class, () -> Memory.unmap(4097, 4096));
    }

    @Test
    void kernelErrorsCarryTheirErrno() {
        // mremap onto a range that overlaps the source is refused by the kernel with EINVAL.
        long a = Memory.reserve(8 * MIB, 2 * MIB);
        try {
            var e = assertThrows(NativeCallException.class, () -> Memory.remapDontUnmap(a, 4 * MIB, a + 2 * MIB));
            assertEquals(Errno.EINVAL, e.errno());
            assertTrue(e.getMessage().contains("EINVAL"), e.getMessage());
        } finally {
            Memory.unmap(a, 8 * MIB);
        }
    }
}
