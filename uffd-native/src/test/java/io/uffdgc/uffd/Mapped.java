package io.uffdgc.uffd;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/** Test memory: anonymous mappings unmapped at close, and page-pattern helpers. */
public final class Mapped implements AutoCloseable {
    public static final long PAGE = Memory.pageSize();
    public static final long HUGE = 2L << 20;

    private final List<long[]> mappings = new ArrayList<>();

    /** A fresh, empty (nothing resident) read-write range of len bytes aligned to align. */
    public long reserve(long len, long align) {
        long addr = Memory.reserve(len, align);
        mappings.add(new long[] {addr, len});
        return addr;
    }

    public long reserve(long len) { return reserve(len, PAGE); }

    /** Writes a pattern that differs in every page and every word: seed + page index + word. */
    public static void fill(long addr, long len, long seed) {
        MemorySegment s = Memory.segment(addr, len);
        for (long off = 0; off < len; off += 8) s.set(ValueLayout.JAVA_LONG, off, pattern(seed, off));
    }

    public static long pattern(long seed, long off) { return seed * 0x9E3779B97F4A7C15L + off; }

    /** Index of the first 8-byte word of [addr, addr+len) that differs from fill(seed), or -1. */
    public static long firstMismatch(long addr, long len, long seed) { return firstMismatch(addr, len, seed, 0); }

    /** As above for a part of a filled range that starts patternOffset bytes into it. */
    public static long firstMismatch(long addr, long len, long seed, long patternOffset) {
        MemorySegment s = Memory.segment(addr, len);
        for (long off = 0; off < len; off += 8)
            if (s.get(ValueLayout.JAVA_LONG, off) != pattern(seed, patternOffset + off)) return off;
        return -1;
    }

    public static boolean allZero(long addr, long len) {
        MemorySegment s = Memory.segment(addr, len);
        for (long off = 0; off < len; off += 8) if (s.get(ValueLayout.JAVA_LONG, off) != 0) return false;
        return true;
    }

    @Override
    public void close() {
        for (long[] m : mappings) Memory.unmap(m[0], m[1]);
        mappings.clear();
    }
}
