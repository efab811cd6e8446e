package io.uffdgc.bench.micro;

import io.uffdgc.uffd.Memory;
import io.uffdgc.uffd.Userfaultfd;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.*;

/**
 * ns per 4 KiB page to fill pages by copying, through the Java API: a plain memcpy into a
 * reused scratch page (the copy half of COPY-mode compaction), and UFFDIO_COPY into an
 * empty registered range, one page or 64 pages per ioctl (the kernel allocates each page).
 * One invocation fills PAGES pages; the destination is emptied between invocations, untimed.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class CopyBench {
    static final int PAGES = 4096;
    static final long PAGE = Memory.pageSize(), LEN = PAGES * PAGE;

    Userfaultfd uffd;
    long src, dst, scratch;
    MemorySegment srcSeg, scratchSeg;

    @Setup(Level.Trial)
    public void setUp() {
        uffd = Userfaultfd.open();
        src = Memory.reserve(LEN, PAGE);
        dst = Memory.reserve(LEN, PAGE);
        scratch = Memory.reserve(PAGE, PAGE);
        srcSeg = Memory.segment(src, LEN);
        scratchSeg = Memory.segment(scratch, PAGE);
        for (long off = 0; off < LEN; off += 8) srcSeg.set(java.lang.foreign.ValueLayout.JAVA_LONG, off, off);
        scratchSeg.fill((byte) 1);
        uffd.register(dst, LEN);
    }

    @Setup(Level.Invocation)
    public void emptyDestination() {
        Memory.advise(dst, LEN, Memory.Advice.DONTNEED);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        uffd.close();
        Memory.unmap(src, LEN);
        Memory.unmap(dst, LEN);
        Memory.unmap(scratch, PAGE);
    }

    @Benchmark
    @OperationsPerInvocation(PAGES)
    public void memcpyToScratch() {
        for (long off = 0; off < LEN; off += PAGE) MemorySegment.copy(srcSeg, off, scratchSeg, 0, PAGE);
    }

    @Benchmark
    @OperationsPerInvocation(PAGES)
    public void copy1PagePerIoctl() {
        for (long off = 0; off < LEN; off += PAGE) uffd.copy(dst + off, src + off, PAGE);
    }

    @Benchmark
    @OperationsPerInvocation(PAGES)
    public void copy64PagesPerIoctl() {
        for (long off = 0; off < LEN; off += 64 * PAGE) uffd.copy(dst + off, src + off, 64 * PAGE);
    }
}
