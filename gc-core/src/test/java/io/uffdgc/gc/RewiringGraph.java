package io.uffdgc.gc;

import io.uffdgc.heap.HandleScope;
import io.uffdgc.heap.Mutator;
import io.uffdgc.heap.layout.ArrayLayout;
import io.uffdgc.heap.layout.RecordLayout;
import java.util.SplittableRandom;

/**
 * A workload built to lose objects if the concurrent-marking barrier is wrong. Its heap graph:
 * a long spine (a linked list the marker walks in order, which makes marking take a while),
 * holders hanging off it (records and reference arrays; the marker reaches those near the
 * spine's head early, those near its tail late), and tokens: small three-node cycles, each
 * reachable along exactly one path, from one holder slot or from one handle (a pocket).
 *
 * <p>Every step moves a token's only path, through one write path each: store it into
 * another holder and clear the old slot ({@code putRef}, {@code putRefElement}); copy it
 * into another reference array and overwrite the old element by copying a null over it
 * ({@code copyRefElements}); take it into a handle and clear the slot (handle creation);
 * store a pocketed token into a holder and release its handle right after (handle release);
 * or replace a token by a freshly allocated one (objects allocated while marking runs).
 * Whenever the target holder has been scanned and the source has not, a marker without the
 * barrier misses the token: the cycle then compacts over it, and {@link #verify} finds a slot
 * that names something else. With the barrier, the old slot's value is logged and marked.
 */
final class RewiringGraph implements Workload {
    private static final int HOLDER_SLOTS = 8, POCKETS = 32;
    private static final long MAGIC = 0x5EED_CAFE_F00DL;
    /** A holder of kind RECORD is a node (3 slots); of kind ARRAY a reference array of HOLDER_SLOTS. */
    private static final int RECORD = 0, ARRAY = 1;

    private final Mutator m;
    private final RecordLayout node;
    private final SplittableRandom rnd;
    private final long spine;               // handle of the spine's head
    private final long[] holders;           // handles
    private final int[] kinds;
    /** Model: token id in holder h, slot s (0: empty); pocket p: token id (0: empty) and its handle. */
    private final long[][] slots;
    private final long[] pocketIds = new long[POCKETS], pocketHandles = new long[POCKETS];
    private long nextId = 1;

    /**
     * @param spineNodes nodes on the spine (marking time grows with it)
     * @param holders    holders spread along the spine, about half of their slots holding a token
     */
    RewiringGraph(Mutator m, RecordLayout node, int spineNodes, int holders, long seed) {
        this.m = m;
        this.node = node;
        this.rnd = new SplittableRandom(seed);
        this.holders = new long[holders];
        this.kinds = new int[holders];
        this.slots = new long[holders][];
        int every = Math.max(1, spineNodes / holders);
        this.spine = m.allocate(node);
        long tail = m.duplicate(spine);
        int h = 0;
        for (int i = 1; i < spineNodes; i++) {
            try (HandleScope scope = m.openScope()) {
                long next = m.allocate(node);
                m.putLong(next, 0, i);
                m.putRef(tail, 0, next);
                if ((i - 1) % every == 0 && h < holders) {
                    kinds[h] = rnd.nextInt(2);
                    long holder = kinds[h] == RECORD ? m.allocate(node) : m.newRefArray(HOLDER_SLOTS);
                    m.putRef(next, 1, holder);
                    this.holders[h] = scope.escape(m.duplicate(holder));
                    slots[h] = new long[kinds[h] == RECORD ? ShadowGraph.NODE_REFS : HOLDER_SLOTS];
                    h++;
                }
                m.release(tail);
                tail = scope.escape(m.duplicate(next));
            }
        }
        m.release(tail);
        if (h < holders) throw new IllegalArgumentException("spine of " + spineNodes + " nodes too short for " + holders + " holders");
        for (int i = 0; i < holders; i++)
            for (int s = 0; s < slots[i].length; s++)
                if (rnd.nextBoolean()) store(i, s, newToken());
    }

    private long newToken() {
        long id = nextId++;
        try (HandleScope scope = m.openScope()) {
            long a = m.allocate(node), b = m.allocate(node), c = m.allocate(node);
            m.putLong(a, 0, id);
            m.putLong(a, 8, MAGIC);
            m.putLong(b, 0, id * 10 + 1);
            m.putLong(c, 0, id * 10 + 2);
            m.putRef(a, 0, b);
            m.putRef(b, 0, c);
            m.putRef(c, 0, a); // a cycle: marking must not depend on acyclicity
            scope.escape(a);
            pocketTemp = a;
        }
        return id;
    }

    /** The handle of the token newToken() made last (escaped from its scope; the caller releases it). */
    private long pocketTemp;

    /** Stores the token newToken() just made into holder h slot s and drops its handle. */
    private void store(int h, int s, long id) {
        put(h, s, pocketTemp);
        m.release(pocketTemp);
        slots[h][s] = id;
    }

    private void put(int h, int s, long value) {
        if (kinds[h] == RECORD) m.putRef(holders[h], s, value);
        else m.putRefElement(holders[h], s, value);
    }

    private long get(int h, int s) {
        return kinds[h] == RECORD ? m.getRef(holders[h], s) : m.getRefElement(holders[h], s);
    }

    @Override
    public void step() {
        int op = rnd.nextInt(100);
        if (op < 30) moveByStore();
        else if (op < 50) moveByCopy();
        else if (op < 70) pocket();
        else if (op < 95) unpocket();
        else replace();
    }

    /** A token moves from one holder slot to another: store there, then clear here. */
    private void moveByStore() {
        int a = rnd.nextInt(holders.length), b = rnd.nextInt(holders.length);
        int s = rnd.nextInt(slots[a].length), t = rnd.nextInt(slots[b].length);
        if (slots[a][s] == 0 || slots[b][t] != 0) return;
        try (HandleScope _ = m.openScope()) {
            long tok = get(a, s);
            put(b, t, tok);
            put(a, s, 0);
        }
        slots[b][t] = slots[a][s];
        slots[a][s] = 0;
    }

    /** Between reference arrays: copy the element over, then copy a null over the old one. */
    private void moveByCopy() {
        int a = rnd.nextInt(holders.length), b = rnd.nextInt(holders.length);
        if (kinds[a] != ARRAY || kinds[b] != ARRAY) return;
        int s = rnd.nextInt(HOLDER_SLOTS), t = rnd.nextInt(HOLDER_SLOTS);
        if (slots[a][s] == 0 || slots[b][t] != 0) return;
        m.copyRefElements(holders[a], s, holders[b], t, 1);
        slots[b][t] = slots[a][s];
        slots[a][s] = 0;
        int empty = emptySlotBut(a, s); // null in the heap too
        if (empty >= 0) m.copyRefElements(holders[a], empty, holders[a], s, 1);
        else put(a, s, 0);
    }

    private int emptySlotBut(int h, int not) {
        for (int s = 0; s < slots[h].length; s++) if (s != not && slots[h][s] == 0) return s;
        return -1;
    }

    /** A token leaves its slot for a handle: the handle is its only path now. */
    private void pocket() {
        int p = rnd.nextInt(POCKETS), a = rnd.nextInt(holders.length), s = rnd.nextInt(slots[a].length);
        if (pocketIds[p] != 0 || slots[a][s] == 0) return;
        pocketHandles[p] = get(a, s); // outside any scope: lives until unpocket releases it
        put(a, s, 0);
        pocketIds[p] = slots[a][s];
        slots[a][s] = 0;
    }

    /** A pocketed token goes into a holder, and its handle is released right after. */
    private void unpocket() {
        int p = rnd.nextInt(POCKETS), b = rnd.nextInt(holders.length), t = rnd.nextInt(slots[b].length);
        if (pocketIds[p] == 0 || slots[b][t] != 0) return;
        put(b, t, pocketHandles[p]);
        m.release(pocketHandles[p]);
        slots[b][t] = pocketIds[p];
        pocketIds[p] = 0;
        pocketHandles[p] = 0;
    }

    /** A token dies (garbage) and a new one, allocated now, takes its slot. */
    private void replace() {
        int a = rnd.nextInt(holders.length), s = rnd.nextInt(slots[a].length);
        if (slots[a][s] == 0) return;
        long id = newToken();
        store(a, s, id);
    }

    @Override
    public long verify() {
        long checked = 0;
        for (int h = 0; h < holders.length; h++) {
            for (int s = 0; s < slots[h].length; s++) {
                try (HandleScope _ = m.openScope()) {
                    long tok = get(h, s);
                    if (slots[h][s] == 0) {
                        if (tok != 0) throw new AssertionError("holder " + h + " slot " + s + " should be empty");
                        continue;
                    }
                    if (tok == 0) throw new AssertionError("holder " + h + " slot " + s + " lost token " + slots[h][s]);
                    checkToken(tok, slots[h][s], "holder " + h + " slot " + s);
                    checked++;
                }
            }
        }
        for (int p = 0; p < POCKETS; p++) {
            if (pocketIds[p] == 0) continue;
            checkToken(pocketHandles[p], pocketIds[p], "pocket " + p);
            checked++;
        }
        return checked;
    }

    private void checkToken(long tok, long id, String where) {
        try (HandleScope _ = m.openScope()) {
            if (m.layoutOf(tok) != node) throw new AssertionError(where + ": token " + id + " is now a " + m.layoutOf(tok));
            if (m.getLong(tok, 0) != id || m.getLong(tok, 8) != MAGIC)
                throw new AssertionError(where + ": token " + id + " reads id " + m.getLong(tok, 0) + " magic 0x"
                        + Long.toHexString(m.getLong(tok, 8)) + ": its object was compacted over");
            long b = m.getRef(tok, 0), c = b == 0 ? 0 : m.getRef(b, 0);
            if (b == 0 || c == 0 || m.getLong(b, 0) != id * 10 + 1 || m.getLong(c, 0) != id * 10 + 2
                    || !m.sameObject(m.getRef(c, 0), tok))
                throw new AssertionError(where + ": token " + id + "'s cycle is broken");
        }
    }
}
