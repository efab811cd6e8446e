package io.uffdgc.bench.heap;

import io.uffdgc.heap.Heap;
import io.uffdgc.heap.HeapConfig;
import io.uffdgc.heap.Mutator;
import io.uffdgc.heap.internal.HeapInternals;
import io.uffdgc.heap.layout.ObjectHeader;
import io.uffdgc.heap.layout.RecordLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What the heap's checked access costs against a raw MemorySegment read of the same word.
 * Checked: handle -> (heap id, slot bounds, generation, root) -> header -> layout -> bounds.
 * Raw: one load at a known offset. Same objects, same order (a shuffled set of records,
 * and one long array walked in order).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class HandleAccessBench {
    static final int N = 4096;

    Heap heap;
    Mutator m;
    MemorySegment mem;
    long[] handles = new long[N];
    long[] offsets = new long[N];
    long array;
    long arrayOffset;

    @Setup(Level.Trial)
    public void setup() {
        heap = Heap.create(HeapConfig.defaults().withName("bench").withCapacity(64L << 20));
        m = heap.attach();
        RecordLayout rec = heap.defineRecord("Rec", 2, 16);
        for (int i = 0; i < N; i++) {
            handles[i] = m.allocate(rec);
            m.putLong(handles[i], 8, i);
        }
        java.util.Random rnd = new java.util.Random(42);
        for (int i = N - 1; i > 0; i--) { // visit in shuffled order: the handle table and objects are not walked in step
            int j = rnd.nextInt(i + 1);
            long t = handles[i];
            handles[i] = handles[j];
            handles[j] = t;
        }
        RecordLayout layout = rec;
        // The raw side of the comparison reads what only the collector may: the heap range and
        // the handle table's references (word offsets). Nothing polls until the benchmark ends.
        HeapInternals internals = HeapInternals.of(heap);
        for (int i = 0; i < N; i++) offsets[i] = byteOffset(internals, handles[i]) + layout.dataOffset() + 8;
        array = m.newLongArray(N);
        for (int i = 0; i < N; i++) m.putLongElement(array, i, i);
        arrayOffset = byteOffset(internals, array) + 8;
        mem = internals.segment();
    }

    private static long byteOffset(HeapInternals internals, long handle) {
        return Integer.toUnsignedLong(internals.handles().ref(handle)) * ObjectHeader.WORD_BYTES;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        m.close();
        heap.close();
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public long recordFieldChecked() {
        long sum = 0;
        for (int i = 0; i < N; i++) sum += m.getLong(handles[i], 8);
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public long recordFieldRaw() {
        long sum = 0;
        for (int i = 0; i < N; i++) sum += mem.get(ValueLayout.JAVA_LONG_UNALIGNED, offsets[i]);
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public long arrayElementChecked() {
        long sum = 0;
        for (int i = 0; i < N; i++) sum += m.getLongElement(array, i);
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public long arrayElementRaw() {
        long sum = 0;
        for (int i = 0; i < N; i++) sum += mem.get(ValueLayout.JAVA_LONG_UNALIGNED, arrayOffset + 8L * i);
        return sum;
    }
}
