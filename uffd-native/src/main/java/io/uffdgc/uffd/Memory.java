package io.uffdgc.uffd;

import static io.uffdgc.uffd.NativeCallException.check;

import io.uffdgc.uffd.gen.Uffdgc;
import java.lang.foreign.MemorySegment;

/**
 * Address-space operations the heap and the collector need: reservations that
 * commit no memory, fixed remappings, the flip's {@code mremap(MREMAP_DONTUNMAP)},
 * {@code madvise}, residency. Arguments are checked here so a mistake is named
 * before the kernel sees it; kernel errors become {@link NativeCallException}.
 */
public final class Memory {
    /** madvise advice values this project uses. */
    public enum Advice {
        DONTNEED(Uffdgc.UGC_MADV_DONTNEED()),
        DONTFORK(Uffdgc.UGC_MADV_DONTFORK()),
        HUGEPAGE(Uffdgc.UGC_MADV_HUGEPAGE()),
        NOHUGEPAGE(Uffdgc.UGC_MADV_NOHUGEPAGE());

        final int value;

        Advice(int value) { this.value = value; }
    }

    private static final long PAGE;

    static {
        NativeLibrary.load();
        PAGE = Uffdgc.ugc_page_size();
    }

    private Memory() {}

    public static long pageSize() { return PAGE; }

    /** Reserves len bytes, readable and writable, committing nothing until touched. */
    public static long reserve(long len, long align) { return reserve(len, align, true); }

    /**
     * Reserves len bytes (MAP_NORESERVE) at an address that is a multiple of align,
     * a power of two no smaller than the page size. readWrite false maps PROT_NONE.
     */
    public static long reserve(long len, long align, boolean readWrite) {
        requirePages("reserve", len);
        if (align < PAGE || Long.bitCount(align) != 1)
            throw new IllegalArgumentException("alignment " + align + " is not a power of two >= page size " + PAGE);
        return check(Uffdgc.ugc_mem_reserve(len, align, prot(readWrite)), "mmap",
                "reserve " + len + " bytes aligned to " + align);
    }

    /** Replaces [addr, addr+len) with fresh, empty anonymous memory. */
    public static void mapFixed(long addr, long len, boolean readWrite) {
        requireRange("mmap(MAP_FIXED)", addr, len);
        check(Uffdgc.ugc_mem_map_fixed(addr, len, prot(readWrite)), "mmap(MAP_FIXED)", range(addr, len));
    }

    public static void unmap(long addr, long len) {
        requireRange("munmap", addr, len);
        check(Uffdgc.ugc_mem_unmap(addr, len), "munmap", range(addr, len));
    }

    /**
     * Moves the pages of [oldAddr, oldAddr+len) to newAddr (replacing what was
     * mapped there); the old range stays mapped, empty, and keeps any userfaultfd
     * registration: the collector's flip.
     */
    public static void remapDontUnmap(long oldAddr, long len, long newAddr) {
        requireRange("mremap", oldAddr, len);
        requireRange("mremap", newAddr, len);
        check(Uffdgc.ugc_mem_remap_dontunmap(oldAddr, len, newAddr), "mremap(MREMAP_DONTUNMAP)",
                range(oldAddr, len) + " -> 0x" + Long.toHexString(newAddr));
    }

    public static void advise(long addr, long len, Advice advice) {
        requireRange("madvise", addr, len);
        check(Uffdgc.ugc_mem_advise(addr, len, advice.value), "madvise(" + advice + ")", range(addr, len));
    }

    public static void protect(long addr, long len, boolean readWrite) {
        requireRange("mprotect", addr, len);
        check(Uffdgc.ugc_mem_protect(addr, len, prot(readWrite)), "mprotect", range(addr, len));
    }

    /** Bytes of [addr, addr+len) that are resident in memory now. */
    public static long residentBytes(long addr, long len) {
        requireRange("mincore", addr, len);
        return check(Uffdgc.ugc_mem_resident(addr, len), "mincore", range(addr, len));
    }

    /**
     * A fault's stall as the faulting thread sees it: if the page of addr is not resident,
     * reads one byte of it (in C) and returns how long that read took, in nanoseconds; -1 if
     * the page was resident (nothing is read). The read faults unless the page was installed
     * between the residency check and the read (then it is short). addr must be readable
     * memory, or a missing page of a userfaultfd-registered range someone serves.
     *
     * @throws NativeCallException if addr is not mapped at all (mincore: ENOMEM)
     */
    public static long timedTouch(long addr) {
        long ns = Uffdgc.ugc_mem_timed_touch(addr);
        return ns == -Errno.ENOENT ? -1 : check(ns, "mincore", range(addr, PAGE));
    }

    /** A MemorySegment over native memory at addr; valid as long as that memory stays mapped. */
    public static MemorySegment segment(long addr, long len) {
        return MemorySegment.ofAddress(addr).reinterpret(len);
    }

    static String range(long addr, long len) {
        return "[0x" + Long.toHexString(addr) + ", 0x" + Long.toHexString(addr + len) + ")";
    }

    private static int prot(boolean readWrite) {
        return readWrite ? Uffdgc.UGC_PROT_READ() | Uffdgc.UGC_PROT_WRITE() : Uffdgc.UGC_PROT_NONE();
    }

    private static void requirePages(String op, long len) {
        if (len <= 0 || len % PAGE != 0)
            throw new IllegalArgumentException(op + ": length " + len + " is not a positive multiple of the page size " + PAGE);
    }

    private static void requireRange(String op, long addr, long len) {
        requirePages(op, len);
        if (addr == 0 || addr % PAGE != 0)
            throw new IllegalArgumentException(op + ": address 0x" + Long.toHexString(addr) + " is not page aligned");
    }
}
