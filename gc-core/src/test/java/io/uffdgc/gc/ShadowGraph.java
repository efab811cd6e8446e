package io.uffdgc.gc;

import io.uffdgc.heap.HandleScope;
import io.uffdgc.heap.Mutator;
import io.uffdgc.heap.internal.HandleTable;
import io.uffdgc.heap.internal.HeapInternals;
import io.uffdgc.heap.layout.ArrayLayout;
import io.uffdgc.heap.layout.Layout;
import io.uffdgc.heap.layout.RecordLayout;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A random object graph in the heap and its shadow model in plain Java, owned by one
 * mutator thread. Every mutation is applied to both; {@link #verify} walks the heap
 * from the roots and checks it equals the model: same shapes, same data, same sharing.
 * Garbage comes from replacing roots and overwriting references.
 */
final class ShadowGraph implements Workload {
    /** A model object: a node record (3 refs, 2 longs), a byte array or a ref array. */
    static final class Obj {
        final Layout kind;
        final long[] data = new long[2];
        final Obj[] refs;
        final byte[] bytes;

        Obj(Layout kind, int refs, byte[] bytes) {
            this.kind = kind;
            this.refs = new Obj[refs];
            this.bytes = bytes;
        }
    }

    static final int NODE_REFS = 3, NODE_DATA = 16;

    private final Mutator m;
    private final RecordLayout node;
    private final SplittableRandom rnd;
    private final long[] roots;      // handles
    private final Obj[] model;       // model roots, same indices

    ShadowGraph(Mutator m, RecordLayout node, int nroots, long seed) {
        this.m = m;
        this.node = node;
        this.rnd = new SplittableRandom(seed);
        this.roots = new long[nroots];
        this.model = new Obj[nroots];
        for (int i = 0; i < nroots; i++) replaceRoot(i, 1 + rnd.nextInt(40));
    }

    static RecordLayout defineNode(io.uffdgc.heap.Heap heap) {
        var existing = heap.layouts().records("shadow-node");
        return !existing.isEmpty() ? existing.getFirst() : heap.defineRecord("shadow-node", NODE_REFS, NODE_DATA);
    }

    /** Replaces root i with a fresh random structure of about size objects; the old one becomes garbage (unless shared). */
    void replaceRoot(int i, int size) {
        if (roots[i] != 0) m.release(roots[i]);
        Obj o = newObj();
        long h = create(o);
        roots[i] = h;
        model[i] = o;
        try (HandleScope _ = m.openScope()) {
            long cur = m.duplicate(h);
            Obj curObj = o;
            for (int k = 1; k < size; k++) {
                Obj child = newObj();
                long ch = create(child);
                int slot = rnd.nextInt(curObj.refs.length == 0 ? 1 : curObj.refs.length);
                if (curObj.refs.length > 0) {
                    link(cur, curObj, slot, ch, child);
                    if (child.refs.length > 0 && rnd.nextInt(3) == 0) {
                        cur = ch;
                        curObj = child;
                    }
                }
            }
        }
    }

    /**
     * Replaces every root: links across roots keep replaced structures reachable, so a long run
     * grows its live set without bound; after this, all of the old graph is garbage.
     */
    void replaceAll() {
        for (int i = 0; i < roots.length; i++) replaceRoot(i, 1 + rnd.nextInt(40));
    }

    private Obj newObj() {
        int k = rnd.nextInt(10);
        if (k < 6) {
            Obj o = new Obj(node, NODE_REFS, null);
            o.data[0] = rnd.nextLong();
            o.data[1] = rnd.nextLong();
            return o;
        }
        if (k < 8) return new Obj(ArrayLayout.REF, rnd.nextInt(12), null);
        byte[] b = new byte[rnd.nextInt(k == 9 ? 6000 : 200)];
        rnd.nextBytes(b);
        return new Obj(ArrayLayout.BYTE, 0, b);
    }

    /** Allocates o's heap object (its refs all null, as in the model so far). */
    private long create(Obj o) {
        if (o.kind == node) {
            long h = m.allocate(node);
            m.putLong(h, 0, o.data[0]);
            m.putLong(h, 8, o.data[1]);
            return h;
        }
        if (o.kind == ArrayLayout.REF) return m.newRefArray(o.refs.length);
        long h = m.newByteArray(o.bytes.length);
        m.writeBytes(h, 0, o.bytes, 0, o.bytes.length);
        return h;
    }

    private void link(long h, Obj o, int slot, long target, Obj t) {
        if (o.kind == node) m.putRef(h, slot, target);
        else m.putRefElement(h, slot, target);
        o.refs[slot] = t;
    }

    private long refAt(long h, Obj o, int slot) {
        return o.kind == node ? m.getRef(h, slot) : m.getRefElement(h, slot);
    }

    /** One random operation: read, write data, relink (sharing, garbage), or replace a root. */
    @Override
    public void step() {
        int i = rnd.nextInt(roots.length);
        int op = rnd.nextInt(100);
        if (op < 5) {
            replaceRoot(i, 1 + rnd.nextInt(30));
            return;
        }
        try (HandleScope _ = m.openScope()) {
            long h = m.duplicate(roots[i]);
            Obj o = model[i];
            for (int depth = rnd.nextInt(4); depth > 0 && o.refs.length > 0; depth--) {
                int s = rnd.nextInt(o.refs.length);
                if (o.refs[s] == null) break;
                h = refAt(h, o, s);
                o = o.refs[s];
            }
            if (op < 40) {
                check(h, o, "read");
            } else if (op < 70 && o.kind == node) {
                long v = rnd.nextLong();
                int f = rnd.nextInt(2);
                m.putLong(h, f * 8, v);
                o.data[f] = v;
            } else if (op < 90 && o.refs.length > 0) {
                int j = rnd.nextInt(roots.length);
                link(h, o, rnd.nextInt(o.refs.length), roots[j], model[j]); // sharing across roots
            } else if (o.refs.length > 0) {
                Obj fresh = newObj();
                link(h, o, rnd.nextInt(o.refs.length), create(fresh), fresh);
            }
        }
    }

    /** Checks the heap object h against o, shallowly (its kind and its own data). */
    private void check(long h, Obj o, String where) {
        Layout l = m.layoutOf(h);
        if (l != o.kind) throw new AssertionError(where + ": kind " + l + " != " + o.kind);
        if (o.kind == node) {
            for (int f = 0; f < 2; f++)
                if (m.getLong(h, f * 8) != o.data[f])
                    throw new AssertionError(where + ": node data word " + f + " differs");
        } else if (o.kind == ArrayLayout.BYTE) {
            byte[] b = new byte[o.bytes.length];
            if (m.length(h) != b.length) throw new AssertionError(where + ": byte[] length differs");
            m.readBytes(h, 0, b, 0, b.length);
            if (!Arrays.equals(b, o.bytes)) throw new AssertionError(where + ": byte[] contents differ");
        } else if (m.length(h) != o.refs.length) {
            throw new AssertionError(where + ": ref[] length differs");
        }
    }

    /**
     * Walks everything reachable from the roots and checks it equals the model,
     * sharing included (the same model object is the same heap object). Returns the
     * objects checked. No cycle may run meanwhile (offsets identify objects).
     */
    @Override
    public long verify() {
        Map<Obj, Long> seen = new IdentityHashMap<>();
        ArrayDeque<long[]> work = new ArrayDeque<>(); // {handle} paired with model via a parallel deque
        ArrayDeque<Obj> objs = new ArrayDeque<>();
        HandleTable table = HeapInternals.of(m.heap()).handles(); // an object's identity: the reference its handle holds
        try (HandleScope _ = m.openScope()) {
            for (int i = 0; i < roots.length; i++) {
                work.push(new long[] {m.duplicate(roots[i])});
                objs.push(model[i]);
            }
            while (!work.isEmpty()) {
                long h = work.pop()[0];
                Obj o = objs.pop();
                long at = table.ref(h);
                Long prev = seen.putIfAbsent(o, at);
                if (prev != null) {
                    if (prev != at) throw new AssertionError("sharing lost: one model object at two heap offsets");
                    m.release(h);
                    continue;
                }
                check(h, o, "verify");
                for (int s = 0; s < o.refs.length; s++) {
                    long c = refAt(h, o, s);
                    if ((c == 0) != (o.refs[s] == null)) throw new AssertionError("verify: null-ness of ref " + s + " differs");
                    if (c != 0) {
                        work.push(new long[] {c});
                        objs.push(o.refs[s]);
                    }
                }
                m.release(h);
            }
        }
        return seen.size();
    }
}
