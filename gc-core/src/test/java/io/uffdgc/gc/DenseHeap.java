package io.uffdgc.gc;

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
 * survives with probability youngLive). Packing matters: straight from the
 * allocator, the ends of allocation buffers are fillers, so no page run is dense. Old objects point at each other and,
 * after the young region exists, some point forward into it, so the dense pages
 * updated in place hold references that move. Every 16th object is a byte array of
 * up to ~5 KiB, so objects cross page boundaries (and the end of the dense prefix).
 * Survivors are reachable from root ref arrays; no other handle is left held.
 */
final class DenseHeap {
    static final int ROOT_ARRAY = 4096;

    final List<Long> roots = new ArrayList<>();
    private final Mutator m;
    private final RecordLayout node;
    private final SplittableRandom rnd;
    private boolean arrays = true;
    private long array;
    private int slot = ROOT_ARRAY;

    private DenseHeap(Heap heap, Mutator m, long seed) {
        this.m = m;
        this.node = ShadowGraph.defineNode(heap);
        this.rnd = new SplittableRandom(seed);
    }

    /**
     * Records only, not chained to each other (so a cleared root slot really kills its
     * object): page densities then follow the death rate closely.
     */
    static DenseHeap buildRecords(Heap heap, Mutator m, long oldBytes, double oldDeaths, long youngBytes,
                                  double youngLive, long seed, Runnable pack) {
        DenseHeap d = new DenseHeap(heap, m, seed);
        d.arrays = false;
        return d.build(heap, oldBytes, oldDeaths, youngBytes, youngLive, pack);
    }

    /**
     * @param pack runs the packing cycle; called with no handle held but the roots
     *             (the mutator m sits in a blocking region meanwhile)
     */
    static DenseHeap build(Heap heap, Mutator m, long oldBytes, double oldDeaths, long youngBytes, double youngLive,
                           long seed, Runnable pack) {
        return new DenseHeap(heap, m, seed).build(heap, oldBytes, oldDeaths, youngBytes, youngLive, pack);
    }

    private DenseHeap build(Heap heap, long oldBytes, double oldDeaths, long youngBytes, double youngLive,
                            Runnable pack) {
        fill(heap, heap.top() + oldBytes, 1);
        m.blocking(pack);
        kill(oldDeaths);
        int oldArrays = roots.size();
        fill(heap, heap.top() + youngBytes, youngLive);
        pointForward(oldArrays);
        return this;
    }

    /** Each old object becomes unreachable with probability share (its root slot cleared). */
    private void kill(double share) {
        for (long a : roots)
            for (int i = 0; i < ROOT_ARRAY; i++)
                if (rnd.nextDouble() < share) m.putRefElement(a, i, 0);
        slot = ROOT_ARRAY; // the young region starts a root array of its own
    }

    private void fill(Heap heap, long until, double liveShare) {
        long previous = 0;
        while (heap.top() < until) {
            if (slot == ROOT_ARRAY) {
                array = m.newRefArray(ROOT_ARRAY);
                roots.add(array);
                slot = 0;
            }
            long h;
            if (arrays && rnd.nextInt(16) == 0) {
                h = m.newByteArray(1 + rnd.nextInt(5000));
                m.putByteElement(h, 0, (byte) rnd.nextInt());
            } else {
                h = m.allocate(node);
                m.putLong(h, 0, rnd.nextLong());
                if (arrays && previous != 0) m.putRef(h, 0, previous);
            }
            if (rnd.nextDouble() < liveShare) {
                m.putRefElement(array, slot++, h);
                if (previous != 0) m.release(previous);
                previous = h;
            } else {
                m.release(h);
            }
        }
        if (previous != 0) m.release(previous);
    }

    /** Old nodes get a reference to a young survivor: dense pages then hold references that move. */
    private void pointForward(int oldArrays) {
        if (oldArrays == 0 || roots.size() == oldArrays) return;
        for (int i = 0; i < 2000; i++) {
            long from = m.getRefElement(roots.get(rnd.nextInt(oldArrays)), rnd.nextInt(ROOT_ARRAY));
            long to = m.getRefElement(roots.get(oldArrays + rnd.nextInt(roots.size() - oldArrays)), rnd.nextInt(ROOT_ARRAY));
            if (from != 0 && to != 0 && m.layoutOf(from).id() == node.id()) m.putRef(from, 1, to);
            if (from != 0) m.release(from);
            if (to != 0) m.release(to);
        }
    }
}
