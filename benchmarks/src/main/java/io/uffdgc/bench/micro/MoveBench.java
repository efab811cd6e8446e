package io.uffdgc.bench.micro;

import io.uffdgc.uffd.Memory;
import io.uffdgc.uffd.Userfaultfd;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.*;

/**
 * ns per 4 KiB page to install pages with UFFDIO_MOVE through the Java API: one page, 64
 * pages and a 2 MiB THP (512 pages, PMD moved whole) per ioctl. The pages ping-pong between
 * two registered ranges, so no page is allocated or freed while measuring, as with the
 * recycled from-space pages of MOVE-mode compaction.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class MoveBench {
    static final int PAGES = 4096;
    static final long PAGE = Memory.pageSize(), HUGE = 2L << 20, LEN = PAGES * PAGE;

    @Param({"4k", "thp"})
    public String backing;

    Userfaultfd uffd;
    long from, to;

    @Setup(Level.Trial)
    public void setUp() {
        uffd = Userfaultfd.open();
        from = Memory.reserve(LEN, HUGE);
        to = Memory.reserve(LEN, HUGE);
        Memory.Advice thp = backing.equals("thp") ? Memory.Advice.HUGEPAGE : Memory.Advice.NOHUGEPAGE;
        Memory.advise(from, LEN, thp);
        Memory.advise(to, LEN, thp);
        MemorySegment s = Memory.segment(from, LEN);
        for (long off = 0; off < LEN; off += PAGE) s.set(ValueLayout.JAVA_LONG, off, off);
        uffd.register(from, LEN);
        uffd.register(to, LEN);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        uffd.close();
        Memory.unmap(from, LEN);
        Memory.unmap(to, LEN);
    }

    /** Moves everything from `from` to `to` in chunks of chunk bytes, then swaps the two. */
    private void moveAll(long chunk) {
        for (long off = 0; off < LEN; off += chunk) uffd.move(to + off, from + off, chunk);
        long t = from;
        from = to;
        to = t;
    }

    @Benchmark
    @OperationsPerInvocation(PAGES)
    public void move1PagePerIoctl() { moveAll(PAGE); }

    @Benchmark
    @OperationsPerInvocation(PAGES)
    public void move64PagesPerIoctl() { moveAll(64 * PAGE); }

    /** With backing=thp the PMD moves whole; with 4k pages it shows what the same call costs without THP. */
    @Benchmark
    @OperationsPerInvocation(PAGES)
    public void move2MiBPerIoctl() { moveAll(HUGE); }
}
