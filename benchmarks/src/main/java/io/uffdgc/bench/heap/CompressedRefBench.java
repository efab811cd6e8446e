package io.uffdgc.bench.heap;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The choice in ugc_object.h: 32-bit word offsets from the heap base, or 64-bit absolute
 * addresses? A linked list of nodes shaped like a heap record with two references and one
 * long (compressed: 8 header + 2x4 refs + 8 data = 24 bytes; absolute: 8 + 2x8 + 8 = 32),
 * laid out in a random permutation so every hop misses the prefetcher, chased through plain
 * MemorySegments. Reported per hop (the score is per whole traversal; divide by nodes).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CompressedRefBench {
    @Param({"16384", "262144", "4194304"})
    int nodes;

    Arena arena;
    MemorySegment compressed;   // node i at word offset (1 + 3*slot): header, next:int, other:int, value:long
    MemorySegment absolute;     // node at byte 8 + 32*slot: header, next:long, other:long, value:long
    MemorySegment everything;   // absolute addresses are read through a segment over all memory
    int firstCompressed;
    long firstAbsolute;

    @Setup(Level.Trial)
    public void setup() {
        arena = Arena.ofShared();
        compressed = arena.allocate(8 + 24L * nodes, 4096);
        absolute = arena.allocate(8 + 32L * nodes, 4096);
        everything = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
        int[] order = new int[nodes];
        for (int i = 0; i < nodes; i++) order[i] = i;
        Random rnd = new Random(7);
        for (int i = nodes - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        // list element k lives in slot order[k]; its next is element k+1, the last is null
        for (int k = 0; k < nodes; k++) {
            long c = 8 + 24L * order[k];
            long a = 8 + 32L * order[k];
            int nextWord = k + 1 < nodes ? (int) ((8 + 24L * order[k + 1]) >>> 3) : 0;
            long nextAddr = k + 1 < nodes ? absolute.address() + 8 + 32L * order[k + 1] : 0;
            compressed.set(ValueLayout.JAVA_INT, c + 8, nextWord);
            compressed.set(ValueLayout.JAVA_LONG, c + 16, k);
            absolute.set(ValueLayout.JAVA_LONG, a + 8, nextAddr);
            absolute.set(ValueLayout.JAVA_LONG, a + 24, k);
        }
        firstCompressed = (int) ((8 + 24L * order[0]) >>> 3);
        firstAbsolute = absolute.address() + 8 + 32L * order[0];
    }

    @TearDown(Level.Trial)
    public void tearDown() { arena.close(); }

    @Benchmark
    public long chase32BitWordOffsets() {
        MemorySegment heap = compressed;
        long sum = 0;
        for (int ref = firstCompressed; ref != 0; ) {
            long at = Integer.toUnsignedLong(ref) << 3;   // base + (ref << 3): the segment adds the base
            sum += heap.get(ValueLayout.JAVA_LONG, at + 16);
            ref = heap.get(ValueLayout.JAVA_INT, at + 8);
        }
        return sum;
    }

    @Benchmark
    public long chase64BitAddresses() {
        MemorySegment all = everything;
        long sum = 0;
        for (long addr = firstAbsolute; addr != 0; ) {
            sum += all.get(ValueLayout.JAVA_LONG, addr + 24);
            addr = all.get(ValueLayout.JAVA_LONG, addr + 8);
        }
        return sum;
    }
}
