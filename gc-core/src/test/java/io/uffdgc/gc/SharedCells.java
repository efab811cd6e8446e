package io.uffdgc.gc;

import io.uffdgc.heap.HandleScope;
import io.uffdgc.heap.Mutator;
import io.uffdgc.heap.internal.HeapInternals;
import io.uffdgc.heap.layout.RecordLayout;
import java.util.SplittableRandom;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Objects shared by every mutator thread, and their model: cells, each a node held by a
 * heap-wide handle and guarded by its own lock. Under a cell's lock a mutator reads and checks
 * it, writes its data, points its first slot at another cell (sharing across threads), or hangs
 * a fresh node of its own in its second slot (an object one thread allocates and others read;
 * the previous one becomes garbage). A lock is taken inside a blocking region: a mutator that
 * waits for another one must count as safe, or a safepoint would wait for it forever.
 */
final class SharedCells {
    private final RecordLayout node;
    private final long[] handles;
    private final ReentrantLock[] locks;
    private final long[] data;          // model: data word 0 of each cell
    private final int[] link;           // model: which cell slot 0 points at, -1 for null
    private final long[] hung;          // model: data word 0 of the node in slot 1, 0 for null

    SharedCells(Mutator m, RecordLayout node, int n) {
        this.node = node;
        this.handles = new long[n];
        this.locks = new ReentrantLock[n];
        this.data = new long[n];
        this.link = new int[n];
        this.hung = new long[n];
        for (int i = 0; i < n; i++) {
            handles[i] = m.allocate(node);   // outside any scope: lives until released, usable by every mutator
            locks[i] = new ReentrantLock();
            link[i] = -1;
        }
    }

    /** One random operation on one cell, by mutator m. */
    void step(Mutator m, SplittableRandom rnd) {
        int i = rnd.nextInt(handles.length);
        m.blocking(locks[i]::lock);
        try (HandleScope _ = m.openScope()) {
            long h = handles[i];
            int op = rnd.nextInt(4);
            if (op == 0) {
                check(m, i);
            } else if (op == 1) {
                long v = rnd.nextLong();
                m.putLong(h, 0, v);
                data[i] = v;
            } else if (op == 2) {
                int j = rnd.nextInt(handles.length);
                m.putRef(h, 0, handles[j]);
                link[i] = j;
            } else {
                long v = rnd.nextLong() | 1;
                long fresh = m.allocate(node);
                m.putLong(fresh, 0, v);
                m.putRef(h, 1, fresh);
                hung[i] = v;
            }
        } finally {
            locks[i].unlock();
        }
    }

    /** Checks cell i against its model; the caller holds its lock or every thread is quiet. */
    private void check(Mutator m, int i) {
        long h = handles[i];
        if (m.getLong(h, 0) != data[i]) throw new AssertionError("shared cell " + i + ": data differs");
        try (HandleScope _ = m.openScope()) {
            long l = m.getRef(h, 0);
            if ((l == 0) != (link[i] < 0)) throw new AssertionError("shared cell " + i + ": null-ness of its link differs");
            var table = HeapInternals.of(m.heap()).handles();
            if (l != 0 && table.ref(l) != table.ref(handles[link[i]]))
                throw new AssertionError("shared cell " + i + ": links to another object than cell " + link[i]);
            long x = m.getRef(h, 1);
            if ((x == 0) != (hung[i] == 0)) throw new AssertionError("shared cell " + i + ": null-ness of its node differs");
            if (x != 0 && m.getLong(x, 0) != hung[i]) throw new AssertionError("shared cell " + i + ": its node's data differs");
        }
    }

    /** Checks every cell; no mutator may step meanwhile, and no cycle may run (offsets identify objects). */
    int verify(Mutator m) {
        for (int i = 0; i < handles.length; i++) check(m, i);
        return handles.length;
    }
}
