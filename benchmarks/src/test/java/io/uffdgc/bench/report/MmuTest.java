package io.uffdgc.bench.report;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class MmuTest {
    private static final long MS = 1_000_000;

    @Test
    void onePauseInOneSecond() {
        // One thread, a 50 ms pause at 100 ms of a 1 s run.
        Mmu m = new Mmu(0, 1000 * MS, 1, List.of(new long[] {100 * MS, 150 * MS}));
        assertEquals(0, m.at(10 * MS), 1e-12);
        assertEquals(0, m.at(50 * MS), 1e-12);
        assertEquals(0.5, m.at(100 * MS), 1e-12);
        assertEquals(0.75, m.at(200 * MS), 1e-12);
        assertEquals(0.95, m.at(1000 * MS), 1e-12);
        assertEquals(0.95, m.overall(), 1e-12);
        assertTrue(Double.isNaN(m.at(1001 * MS)));
    }

    @Test
    void aStallOfOneThreadOfTwoCostsHalf() {
        // Thread 0 stalls [0, 10), thread 1 [5, 15): both are stalled in [5, 10) only.
        Mmu m = new Mmu(0, 100, 2, List.of(new long[] {0, 10}, new long[] {5, 15}));
        assertEquals(0, m.at(5), 1e-12);
        assertEquals(0.25, m.at(10), 1e-12);                 // any 10-long window over the stalls: 15 of 20 lost
        assertEquals(1 - 20.0 / 200, m.at(100), 1e-12);
    }

    @Test
    void stallsOutsideTheRunAreClippedAndBadInputIsNamed() {
        Mmu m = new Mmu(100, 200, 1, List.of(new long[] {0, 150, 190, 300}));
        assertEquals(1 - 60.0 / 100, m.at(100), 1e-12);
        assertEquals(0, m.at(10), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> new Mmu(0, 0, 1, List.of(new long[0])));
        assertThrows(IllegalArgumentException.class, () -> new Mmu(0, 10, 2, List.of(new long[0])));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Mmu(0, 10, 1, List.of(new long[] {5, 4})));
        assertTrue(e.getMessage().contains("ends before it starts"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> m.at(0));
    }

    /**
     * Against brute force on an integer timeline: every breakpoint is an integer, so the
     * window's mutator time is linear between integer positions and the minimum over
     * integer starts is the true minimum.
     */
    @Property(tries = 300)
    void equalsBruteForce(@ForAll @IntRange(min = 1, max = 3) int threads, @ForAll @LongRange(min = 1, max = 200) long window,
                          @ForAll("seeds") long seed) {
        int span = 200;
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(seed);
        List<long[]> stalls = new ArrayList<>();
        double[] running = new double[span];
        for (int t = 0; t < threads; t++) {
            List<Long> s = new ArrayList<>();
            long at = rnd.nextInt(20);
            while (at < span + 10) {
                long len = 1 + rnd.nextInt(30);
                s.add(at);
                s.add(at + len);
                at += len + rnd.nextInt(40);
            }
            long[] a = s.stream().mapToLong(Long::longValue).toArray();
            stalls.add(a);
            boolean[] stalled = new boolean[span];
            for (int i = 0; i < a.length; i += 2)
                for (long x = a[i]; x < Math.min(a[i + 1], span); x++) stalled[(int) x] = true;
            for (int x = 0; x < span; x++) running[x] += stalled[x] ? 0 : 1.0 / threads;
        }
        double brute = Double.MAX_VALUE;
        for (int x = 0; x + window <= span; x++) {
            double sum = 0;
            for (int y = x; y < x + window; y++) sum += running[y];
            brute = Math.min(brute, sum / window);
        }
        assertEquals(brute, new Mmu(0, span, threads, stalls).at(window), 1e-9);
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<Long> seeds() { return net.jqwik.api.Arbitraries.longs(); }
}
