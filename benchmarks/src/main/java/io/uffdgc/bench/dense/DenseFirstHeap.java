package io.uffdgc.bench.dense;

import io.uffdgc.heap.Heap;
import io.uffdgc.heap.Mutator;
import io.uffdgc.heap.layout.RecordLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Builds a heap "dense first", as a heap looks some cycles into its life: an old
 * bottom region, packed by a cycle, of which a few objects died since (each with
 * probability oldDeaths), then a young region where most objects are garbage (each
 * survives with probability youngLive). Packing matters: straight from the allocator,
 * the ends of allocation buffers are fillers, so no page run is dense.
 *
 * <p>Only records, none pointing at another while built, each held by one slot of a
 * root ref array: clearing the slot kills exactly that object, so page densities
 * follow the death rate closely. Afterwards some old records get a reference to a
 * young survivor, so the dense pages updated in place hold references that move.
 *
 * <p>The records-only build of gc-core's test helper DenseHeap (which DensePrefixTest
 * also uses with arrays), draw for draw, so the table in docs/engine.md can be reproduced.
 * The benchmarks' HeapGraph does not fit: it chains records, so no single object dies.
 */
final class DenseFirstHeap {
    static final int ROOT_ARRAY = 4096;
    static final int NODE_REFS = 3, NODE_DATA = 16;

    private final List<Long> roots = new ArrayList<>();
    private final Mutator m;
    private final SplittableRandom rnd;
    private long array;
    private int slot = ROOT_ARRAY;

    private DenseFirstHeap(Mutator m, long seed) {
        this.m = m;
        this.rnd = new SplittableRandom(seed);
    }

    /**
     * @param pack runs the packing cycle; called with no handle held but the roots
     *             (the mutator m sits in a blocking region meanwhile)
     */
    static void build(Heap heap, Mutator m, long oldBytes, double oldDeaths, long youngBytes, double youngLive,
                      long seed, Runnable pack) {
        RecordLayout node = heap.defineRecord("dense-node", NODE_REFS, NODE_DATA);
        DenseFirstHeap d = new DenseFirstHeap(m, seed);
        d.fill(heap, node, heap.top() + oldBytes, 1);
        m.blocking(pack);
        d.kill(oldDeaths);
        int oldArrays = d.roots.size();
        d.fill(heap, node, heap.top() + youngBytes, youngLive);
        d.pointForward(oldArrays);
    }

    /** Allocates records up to `until`; each stays reachable (from a root slot) with probability liveShare. */
    private void fill(Heap heap, RecordLayout node, long until, double liveShare) {
        while (heap.top() < until) {
            if (slot == ROOT_ARRAY) {
                array = m.newRefArray(ROOT_ARRAY);
                roots.add(array);
                slot = 0;
            }
            long h = m.allocate(node);
            m.putLong(h, 0, rnd.nextLong());
            if (rnd.nextDouble() < liveShare) m.putRefElement(array, slot++, h);
            m.release(h);
        }
    }

    /** Each object so far becomes unreachable with probability share (its root slot cleared). */
    private void kill(double share) {
        for (long a : roots)
            for (int i = 0; i < ROOT_ARRAY; i++)
                if (rnd.nextDouble() < share) m.putRefElement(a, i, 0);
        slot = ROOT_ARRAY; // the young region starts a root array of its own
    }

    /** Old records get a reference to a young survivor. */
    private void pointForward(int oldArrays) {
        if (oldArrays == 0 || roots.size() == oldArrays) return;
        for (int i = 0; i < 2000; i++) {
            long from = m.getRefElement(roots.get(rnd.nextInt(oldArrays)), rnd.nextInt(ROOT_ARRAY));
            long to = m.getRefElement(roots.get(oldArrays + rnd.nextInt(roots.size() - oldArrays)), rnd.nextInt(ROOT_ARRAY));
            if (from != 0 && to != 0) m.putRef(from, 1, to);
            if (from != 0) m.release(from);
            if (to != 0) m.release(to);
        }
    }
}
