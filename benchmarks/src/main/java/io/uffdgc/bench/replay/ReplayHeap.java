package io.uffdgc.bench.replay;

import io.uffdgc.bench.replay.HprofDump.Kind;
import io.uffdgc.bench.replay.HprofDump.Obj;
import io.uffdgc.heap.Heap;
import io.uffdgc.heap.Mutator;
import io.uffdgc.heap.layout.ArrayLayout;
import io.uffdgc.heap.layout.LayoutTable;
import io.uffdgc.heap.layout.RecordLayout;
import java.util.HashMap;
import java.util.Map;

/**
 * A heap dump rebuilt in a managed heap: one record layout per class (its instances'
 * reference fields, then their primitive fields as data bytes) and one per class object
 * (superclass, loader and static references; static primitives as data), reference arrays
 * for object arrays, byte arrays holding a primitive array's bytes as the dump has them
 * (the heap has no 2-byte or float element kinds, nor bulk writes for wider ones; the
 * bytes and the sizes are kept). Objects are allocated in dump order, so the program's
 * garbage sits where it sat; the dump's GC roots become the only handles.
 *
 * @param roots             handles held on the dump's roots (the caller releases them with its mutator)
 * @param expectedReachable objects reachable from the roots in the parsed graph
 * @param expectedBytes     their size in this heap
 * @param references        non-null references wired
 * @param dangling          references to ids the dump holds no object for (left null)
 */
public record ReplayHeap(long[] roots, long expectedReachable, long expectedBytes, long references, long dangling) {

    /** Heap bytes the dump needs (every object, garbage included), with room for the allocator's waste. */
    public static long capacityFor(HprofDump dump) {
        long bytes = 0;
        for (Obj o : dump.objects()) bytes += 16 + 4L * o.refs().length + o.data().length + 8;
        long c = (long) (bytes * 1.3) + (64L << 20);
        return (c + (2L << 20) - 1) & -(2L << 20);
    }

    /** Builds dump in heap with mutator m (attached to heap). */
    public static ReplayHeap build(Heap heap, Mutator m, HprofDump dump) {
        Map<Long, Integer> index = dump.indexById();
        Map<Long, RecordLayout> byClass = new HashMap<>();
        int n = dump.objects().size();
        long[] handles = new long[n];
        long[] sizes = new long[n];
        for (int i = 0; i < n; i++) {
            Obj o = dump.objects().get(i);
            switch (o.kind()) {
                case INSTANCE, CLASS -> {
                    RecordLayout l = o.kind() == Kind.CLASS ? defineLayout(heap, dump, o, "class ")
                            : byClass.computeIfAbsent(o.classId(), c -> defineLayout(heap, dump, o, ""));
                    handles[i] = m.allocate(l);
                    if (o.data().length > 0) m.putBytes(handles[i], 0, o.data(), 0, o.data().length);
                    sizes[i] = l.sizeBytes();
                }
                case OBJECT_ARRAY -> {
                    handles[i] = m.newRefArray(o.refs().length);
                    sizes[i] = ArrayLayout.REF.sizeBytes(o.refs().length);
                }
                case PRIMITIVE_ARRAY -> {
                    handles[i] = m.newByteArray(o.data().length);
                    m.writeBytes(handles[i], 0, o.data(), 0, o.data().length);
                    sizes[i] = ArrayLayout.BYTE.sizeBytes(o.data().length);
                }
            }
        }
        long refs = 0, dangling = 0;
        for (int i = 0; i < n; i++) {
            Obj o = dump.objects().get(i);
            long[] r = o.refs();
            for (int k = 0; k < r.length; k++) {
                if (r[k] == 0) continue;
                Integer j = index.get(r[k]);
                if (j == null) {
                    dangling++;
                    continue;
                }
                if (o.kind() == Kind.OBJECT_ARRAY) m.putRefElement(handles[i], k, handles[j]);
                else m.putRef(handles[i], k, handles[j]);
                refs++;
            }
        }
        long[] roots = new long[dump.roots().length];
        int kept = 0;
        boolean[] isRoot = new boolean[n];
        for (long r : dump.roots()) {
            Integer j = index.get(r);
            if (j != null && !isRoot[j]) {
                isRoot[j] = true;
                roots[kept++] = m.duplicate(handles[j]);
            }
        }
        for (long h : handles) m.release(h);
        boolean[] reachable = dump.reachable();
        long count = 0, bytes = 0;
        for (int i = 0; i < n; i++)
            if (reachable[i]) {
                count++;
                bytes += sizes[i];
            }
        return new ReplayHeap(java.util.Arrays.copyOf(roots, kept), count, bytes, refs, dangling);
    }

    /** A layout of its own for o's class (or class object): names carry the class object id, unique per loader. */
    private static RecordLayout defineLayout(Heap heap, HprofDump dump, Obj o, String prefix) {
        HprofDump.ClassDump c = dump.classes().get(o.classId());
        String name = prefix + (c != null ? c.name() : "?") + "@" + Long.toHexString(o.classId());
        try {
            return heap.defineRecord(name, o.refs().length, o.data().length);
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw new IllegalArgumentException("the dump needs more record layouts than a heap holds ("
                    + LayoutTable.MAX_LAYOUTS + ": one per class and one per class object), or a class too large: "
                    + name + ": " + e.getMessage(), e);
        }
    }
}
