package io.uffdgc.bench.micro;

import io.uffdgc.uffd.Memory;
import io.uffdgc.uffd.Userfaultfd;
import io.uffdgc.uffd.service.FaultService;
import io.uffdgc.uffd.service.Resolver;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.*;

/**
 * ns per page for a Java thread's first read of a page: the whole fault round trip when the
 * native FaultService resolves it (resolver zero: UFFDIO_ZEROPAGE, copy: UFFDIO_COPY from a
 * source) on one service thread, against an ordinary anonymous page fault without
 * userfaultfd (none).
 * The range is emptied between invocations, untimed.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class FaultRoundTripBench {
    static final int PAGES = 4096;
    static final long PAGE = Memory.pageSize(), LEN = PAGES * PAGE;

    @Param({"none", "zero", "copy"})
    public String resolver;

    Userfaultfd uffd;
    Resolver res;
    FaultService service;
    long src, dst;
    MemorySegment dstSeg;

    @Setup(Level.Trial)
    public void setUp() {
        src = Memory.reserve(LEN, PAGE);
        dst = Memory.reserve(LEN, PAGE);
        Memory.advise(dst, LEN, Memory.Advice.NOHUGEPAGE); // one fault per 4 KiB page in every case
        Memory.segment(src, LEN).fill((byte) 7);
        dstSeg = Memory.segment(dst, LEN);
        if (resolver.equals("none")) return;
        uffd = Userfaultfd.open();
        uffd.register(dst, LEN);
        res = resolver.equals("zero") ? Resolver.zeroPage() : Resolver.copyFrom(dst, src, LEN);
        service = FaultService.start(uffd, 1, res, 0); // one thread: the other CPU serves, as in UFFD-FACTS
    }

    @Setup(Level.Invocation)
    public void emptyRange() {
        Memory.advise(dst, LEN, Memory.Advice.DONTNEED);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (service != null) {
            uffd.unregister(dst, LEN); // nobody may fault on it once the service is gone
            service.close();
            res.close();
            uffd.close();
        }
        Memory.unmap(src, LEN);
        Memory.unmap(dst, LEN);
    }

    @Benchmark
    @OperationsPerInvocation(PAGES)
    public long firstReadOfEachPage() {
        long sum = 0;
        for (long off = 0; off < LEN; off += PAGE) sum += dstSeg.get(ValueLayout.JAVA_BYTE, off);
        return sum;
    }
}
