package io.uffdgc.bench.micro;

import io.uffdgc.heap.Heap;
import io.uffdgc.heap.HeapConfig;
import io.uffdgc.heap.Mutator;
import io.uffdgc.heap.layout.RecordLayout;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.*;

/**
 * ns per handle operation on the root table's hot path, two mutator threads at once: take a
 * second handle to an object, write a word through it, release the first (two root-slot
 * writes, one issue and one release, and a checked access). What every root write's card
 * bookkeeping costs (HandleTable.dirty) shows here; both threads' slots share the table's
 * cache lines, as an application's do.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(2)
public class HandleChurnBench {
    static final int RING = 256;

    @State(Scope.Benchmark)
    public static class Shared {
        Heap heap;
        RecordLayout node;

        @Setup(Level.Trial)
        public void open() {
            heap = Heap.create(HeapConfig.defaults().withName("handle-churn").withCapacity(256L << 20));
            node = heap.defineRecord("node", 1, 8);
        }

        @TearDown(Level.Trial)
        public void close() { heap.close(); }
    }

    @State(Scope.Thread)
    public static class PerThread {
        Mutator m;
        final long[] ring = new long[RING];
        int next;
        long n;

        @Setup(Level.Trial)
        public void attach(Shared s) {
            m = s.heap.attach();
            for (int i = 0; i < RING; i++) ring[i] = m.allocate(s.node);
        }

        @TearDown(Level.Trial)
        public void detach() { m.close(); }
    }

    @Benchmark
    public void duplicateWriteRelease(PerThread t) {
        long h = t.ring[t.next];
        long x = t.m.duplicate(h);
        t.m.putLong(x, 0, t.n++);
        t.m.release(h);
        t.ring[t.next] = x;
        t.next = (t.next + 1) & (RING - 1);
    }
}
