package io.uffdgc.heap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.uffdgc.heap.handle.Handles;
import io.uffdgc.heap.layout.RecordLayout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A plain-Java model of an object graph, driven by the same operations as a heap through
 * one mutator; {@link #check} compares them. Used by the property test and the concurrent
 * test (one model per mutator thread).
 */
final class GraphModel {
    static final int REFS = 2;

    /** A model object: its data word and its two references. */
    static final class Node {
        long data;
        final Node[] refs = new Node[REFS];
    }

    private final Mutator m;
    private final RecordLayout layout;
    private final List<Long> handles = new ArrayList<>();   // long-lived handles held by the program
    private final List<Node> named = new ArrayList<>();     // the model object each handle names
    long ops;

    GraphModel(Mutator m, RecordLayout layout) {
        this.m = m;
        this.layout = layout;
    }

    /** Applies operation op (any int; decoded into a kind and operands). */
    void apply(int op) {
        ops++;
        int kind = Math.floorMod(op, 8), x = op >>> 3;
        int size = handles.size();
        if (size == 0 || kind == 0) {
            handles.add(m.allocate(layout));
            named.add(new Node());
            return;
        }
        int i = x % size, j = (x / size) % size, f = (x >>> 20) & 1;
        long hi = handles.get(i), hj = handles.get(j);
        switch (kind) {
            case 1 -> { // link
                m.putRef(hi, f, hj);
                named.get(i).refs[f] = named.get(j);
            }
            case 2 -> { // unlink
                m.putRef(hi, f, Handles.NULL);
                named.get(i).refs[f] = null;
            }
            case 3 -> { // write data
                m.putLong(hi, 0, op);
                named.get(i).data = op;
            }
            case 4 -> { // release
                m.release(hi);
                handles.remove(i);
                named.remove(i);
            }
            case 5 -> { // follow a reference: keep the target under a new handle
                long t = m.getRef(hi, f);
                Node n = named.get(i).refs[f];
                assertEquals(n == null, t == Handles.NULL);
                if (t != Handles.NULL) {
                    handles.add(t);
                    named.add(n);
                }
            }
            case 6 -> { // temporaries in a scope: an array that holds a node, dropped at once
                try (HandleScope s = m.openScope()) {
                    long arr = m.newRefArray(3);
                    m.putRefElement(arr, x % 3, hi);
                    assertTrue(m.sameObject(hi, m.getRefElement(arr, x % 3)));
                }
            }
            default -> { // read back and compare
                assertEquals(named.get(i).data, m.getLong(hi, 0));
                m.safepoint();
            }
        }
    }

    /** Walks the heap from every handle and compares it with the model, object by object. */
    void check() {
        Map<Node, Long> seen = new IdentityHashMap<>();
        Map<Long, Node> byOffset = new HashMap<>();
        try (HandleScope s = m.openScope()) {
            for (int k = 0; k < handles.size(); k++) compare(handles.get(k), named.get(k), seen, byOffset);
        }
    }

    private void compare(long h, Node n, Map<Node, Long> seen, Map<Long, Node> byOffset) {
        long at = m.offsetOf(h); // an object's identity here: nothing in these tests moves objects
        Node prev = byOffset.putIfAbsent(at, n);
        assertTrue(prev == null || prev == n, "two model nodes share one heap object at offset " + at);
        if (seen.put(n, at) != null) return;
        assertEquals(n.data, m.getLong(h, 0));
        for (int f = 0; f < REFS; f++) {
            long t = m.getRef(h, f);
            assertEquals(n.refs[f] == null, t == Handles.NULL, "reference " + f);
            if (t != Handles.NULL) compare(t, n.refs[f], seen, byOffset);
        }
    }

    /** Objects the model says are reachable from the handles. */
    long reachable() {
        Map<Node, Boolean> seen = new IdentityHashMap<>();
        List<Node> stack = new ArrayList<>(named);
        while (!stack.isEmpty()) {
            Node n = stack.removeLast();
            if (n == null || seen.put(n, true) != null) continue;
            for (Node r : n.refs) stack.add(r);
        }
        return seen.size();
    }

    int handleCount() { return handles.size(); }
}
