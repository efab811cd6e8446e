package io.uffdgc.bench.replay;

import io.uffdgc.bench.replay.HprofDump.Kind;
import io.uffdgc.bench.replay.HprofDump.Obj;
import io.uffdgc.heap.GraphBuilder;
import io.uffdgc.heap.Heap;
import io.uffdgc.heap.Mutator;
import io.uffdgc.heap.layout.ArrayLayout;
import io.uffdgc.heap.layout.RecordLayout;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;

/**
 * A heap dump rebuilt in a managed heap: one record layout per class (its instances'
 * reference fields, then their primitive fields as data bytes, as the dump has them) and one
 * per class object (superclass, loader and static references; static primitives as data),
 * reference arrays for object arrays, and primitive arrays of the dump's element kind
 * (boolean as byte), their big-endian elements converted to values. Layouts are named by
 * class name, which need not be unique (one name from two loaders gives two layouts).
 * Objects are allocated in dump order, so the program's garbage sits where it sat; a
 * {@link GraphBuilder} names them by dump index while references, forward ones included,
 * are wired, so the build holds a handle per GC root and no more.
 *
 * @param roots             handles held on the dump's roots (the caller releases them with its mutator)
 * @param expectedReachable objects reachable from the roots in the parsed graph
 * @param expectedBytes     their size in this heap
 * @param references        non-null references wired
 * @param dangling          references to ids the dump holds no object for (left null)
 */
public record ReplayHeap(long[] roots, long expectedReachable, long expectedBytes, long references, long dangling) {

    /** Heap bytes the dump needs (every object, garbage included, and the builder's index), with room for the allocator's waste. */
    public static long capacityFor(HprofDump dump) {
        long bytes = GraphBuilder.indexBytes(dump.objects().size());
        for (Obj o : dump.objects()) bytes += 16 + 4L * o.refs().length + o.data().length + 8;
        long c = (long) (bytes * 1.3) + (64L << 20);
        return (c + (2L << 20) - 1) & -(2L << 20);
    }

    /** Handles a build holds at most: one per root, the builder's, and room for the mutator's slot cache. */
    public static int handlesFor(HprofDump dump) {
        return dump.roots().length + 4096;
    }

    /** Builds dump in heap with mutator m (attached to heap). */
    public static ReplayHeap build(Heap heap, Mutator m, HprofDump dump) {
        Map<Long, Integer> index = dump.indexById();
        Map<Long, RecordLayout> byClass = new HashMap<>();
        int n = dump.objects().size();
        long[] sizes = new long[n];
        long refs = 0, dangling = 0;
        long[] roots = new long[dump.roots().length];
        int kept = 0;
        try (GraphBuilder graph = new GraphBuilder(m, n)) {
            for (int i = 0; i < n; i++) {
                Obj o = dump.objects().get(i);
                long h;
                switch (o.kind()) {
                    case INSTANCE, CLASS -> {
                        RecordLayout l = o.kind() == Kind.CLASS ? defineLayout(heap, dump, o, "class ")
                                : byClass.computeIfAbsent(o.classId(), c -> defineLayout(heap, dump, o, ""));
                        h = m.allocate(l);
                        if (o.data().length > 0) m.putBytes(h, 0, o.data(), 0, o.data().length);
                        sizes[i] = l.sizeBytes();
                    }
                    case OBJECT_ARRAY -> {
                        h = m.newRefArray(o.refs().length);
                        sizes[i] = ArrayLayout.REF.sizeBytes(o.refs().length);
                    }
                    case PRIMITIVE_ARRAY -> {
                        ArrayLayout a = arrayLayout(o.elementType());
                        int length = o.data().length >>> a.shift();
                        h = m.allocateArray(a, length);
                        m.writeElements(h, 0, MemorySegment.ofArray(o.data()), 0, ByteOrder.BIG_ENDIAN, length);
                        sizes[i] = a.sizeBytes(length);
                    }
                    default -> throw new IllegalStateException("unknown object kind " + o.kind());
                }
                graph.add(h);
                m.release(h);
            }
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
                    if (o.kind() == Kind.OBJECT_ARRAY) graph.putRefElement(i, k, j);
                    else graph.putRef(i, k, j);
                    refs++;
                }
            }
            boolean[] isRoot = new boolean[n];
            for (long r : dump.roots()) {
                Integer j = index.get(r);
                if (j != null && !isRoot[j]) {
                    isRoot[j] = true;
                    roots[kept++] = graph.handle(j);
                }
            }
        }
        boolean[] reachable = dump.reachable();
        long count = 0, bytes = 0;
        for (int i = 0; i < n; i++)
            if (reachable[i]) {
                count++;
                bytes += sizes[i];
            }
        return new ReplayHeap(java.util.Arrays.copyOf(roots, kept), count, bytes, refs, dangling);
    }

    /** The heap's array kind for an HPROF basic type (boolean is a byte, as HPROF writes it). */
    static ArrayLayout arrayLayout(int hprofType) {
        return switch (hprofType) {
            case HprofDump.BOOLEAN, HprofDump.BYTE -> ArrayLayout.BYTE;
            case HprofDump.CHAR -> ArrayLayout.CHAR;
            case HprofDump.SHORT -> ArrayLayout.SHORT;
            case HprofDump.INT -> ArrayLayout.INT;
            case HprofDump.FLOAT -> ArrayLayout.FLOAT;
            case HprofDump.LONG -> ArrayLayout.LONG;
            case HprofDump.DOUBLE -> ArrayLayout.DOUBLE;
            default -> throw new IllegalArgumentException("not an HPROF primitive array element type: " + hprofType);
        };
    }

    /** A layout of its own for o's class (or class object), named by the class name. */
    private static RecordLayout defineLayout(Heap heap, HprofDump dump, Obj o, String prefix) {
        HprofDump.ClassDump c = dump.classes().get(o.classId());
        String name = prefix + (c != null ? c.name() : "? (class 0x" + Long.toHexString(o.classId()) + ")");
        return heap.defineRecord(name, o.refs().length, o.data().length);
    }
}
