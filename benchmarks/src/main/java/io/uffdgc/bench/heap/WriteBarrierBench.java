package io.uffdgc.bench.heap;

import io.uffdgc.heap.Heap;
import io.uffdgc.heap.HeapConfig;
import io.uffdgc.heap.Mutator;
import io.uffdgc.heap.SafepointSession;
import io.uffdgc.heap.internal.HeapInternals;
import io.uffdgc.heap.layout.RecordLayout;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What the snapshot-at-the-beginning write barrier costs a reference store
 * ({@code Mutator.putRef}, {@code putRefElement}): with marking off (the fast path: one
 * plain load and a branch) and on (the old value read and logged into the mutator's native
 * buffer; a full buffer, every 1024 logs, is handed to a sink that copies it as the engine's
 * queue does, without the downcall and lock of the real one). Same records, shuffled.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class WriteBarrierBench {
    static final int N = 4096;

    @Param({"off", "on"})
    String marking;

    Heap heap;
    Mutator m;
    long[] records = new long[N], targets = new long[N];
    long array;
    Arena sinkArena;

    @Setup(Level.Trial)
    public void setup() {
        heap = Heap.create(HeapConfig.defaults().withName("barrier-bench").withCapacity(64L << 20));
        m = heap.attach();
        RecordLayout rec = heap.defineRecord("Rec", 2, 16);
        for (int i = 0; i < N; i++) {
            records[i] = m.allocate(rec);
            targets[i] = m.allocate(rec);
        }
        java.util.Random rnd = new java.util.Random(42);
        for (int i = N - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            long t = records[i];
            records[i] = records[j];
            records[j] = t;
        }
        array = m.newRefArray(N);
        for (int i = 0; i < N; i++) {
            m.putRef(records[i], 0, targets[i]); // every store below overwrites a reference: the barrier logs it
            m.putRefElement(array, i, targets[i]);
        }
        HeapInternals internals = HeapInternals.of(heap);
        sinkArena = Arena.ofShared();
        MemorySegment queue = sinkArena.allocate(4096);
        internals.setSatbSink((address, count) ->
                MemorySegment.copy(MemorySegment.ofAddress(address).reinterpret(4L * count), 0, queue, 0, 4L * count));
        if (marking.equals("on")) {
            try (SafepointSession s = heap.stopTheWorld()) {
                internals.beginMarking();
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (marking.equals("on")) HeapInternals.of(heap).cancelMarking();
        m.close();
        heap.close();
        sinkArena.close();
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public void putRef() {
        for (int i = 0; i < N; i++) m.putRef(records[i], 0, targets[N - 1 - i]);
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public void putRefElement() {
        for (int i = 0; i < N; i++) m.putRefElement(array, i, targets[N - 1 - i]);
    }
}
