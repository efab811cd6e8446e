package io.uffdgc.bench.replay;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A JVM heap dump as read from an HPROF file: its classes, its objects in dump order,
 * its GC roots. Ids are the dump's object ids (addresses in the dumped JVM); 0 is null.
 *
 * @param classes  every CLASS DUMP by class object id
 * @param objects  every object in dump order: instances, object arrays, primitive arrays and
 *                 class objects (the JVM's garbage included: a dump need not be of live objects only)
 * @param roots    the ids the dump's ROOT records name, each once, in order of first mention
 */
public record HprofDump(Map<Long, ClassDump> classes, List<Obj> objects, long[] roots) {
    /** HPROF basic types. */
    static final int OBJECT = 2, BOOLEAN = 4, CHAR = 5, FLOAT = 6, DOUBLE = 7, BYTE = 8, SHORT = 9, INT = 10, LONG = 11;

    /** Bytes of a value of basic type t (idSize for OBJECT). */
    static int size(int t, int idSize) {
        return switch (t) {
            case OBJECT -> idSize;
            case BOOLEAN, BYTE -> 1;
            case CHAR, SHORT -> 2;
            case FLOAT, INT -> 4;
            case DOUBLE, LONG -> 8;
            default -> throw new IllegalArgumentException("not an HPROF basic type: " + t);
        };
    }

    /**
     * A class: its name, superclass and instance fields (this class's own only, in dump order).
     *
     * @param fieldTypes basic type of each instance field declared by this class
     */
    public record ClassDump(long id, String name, long superId, long loaderId, int[] fieldTypes) {}

    public enum Kind { INSTANCE, OBJECT_ARRAY, PRIMITIVE_ARRAY, CLASS }

    /**
     * One object: its references (ids, 0 for null, in field or element order) and its
     * primitive data (field values in declaration order, superclass after subclass as HPROF
     * writes them, or the array's elements; HPROF's big-endian bytes as they are).
     *
     * @param classId      class object id (INSTANCE, OBJECT_ARRAY: the array class; CLASS: the class itself)
     * @param elementType  PRIMITIVE_ARRAY: the basic type of its elements, else 0
     */
    public record Obj(long id, Kind kind, long classId, int elementType, long[] refs, byte[] data) {}

    /** The objects reachable from the roots, by index into objects (a breadth-first walk of the dump's graph). */
    public boolean[] reachable() {
        Map<Long, Integer> index = indexById();
        boolean[] seen = new boolean[objects.size()];
        ArrayDeque<Integer> work = new ArrayDeque<>();
        for (long r : roots) {
            Integer i = index.get(r);
            if (i != null && !seen[i]) {
                seen[i] = true;
                work.add(i);
            }
        }
        while (!work.isEmpty()) {
            for (long ref : objects.get(work.poll()).refs()) {
                Integer j = ref == 0 ? null : index.get(ref);
                if (j != null && !seen[j]) {
                    seen[j] = true;
                    work.add(j);
                }
            }
        }
        return seen;
    }

    public Map<Long, Integer> indexById() {
        Map<Long, Integer> m = new HashMap<>(objects.size() * 2);
        for (int i = 0; i < objects.size(); i++) m.put(objects.get(i).id(), i);
        return m;
    }
}
