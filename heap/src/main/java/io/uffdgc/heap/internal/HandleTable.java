package io.uffdgc.heap.internal;

import static io.uffdgc.heap.handle.Handles.GEN_BITS;
import static io.uffdgc.heap.handle.Handles.MAX_HANDLES;
import static io.uffdgc.heap.handle.Handles.MAX_HEAP_ID;
import static io.uffdgc.heap.handle.Handles.NULL;
import static io.uffdgc.heap.handle.Handles.SLOT_BITS;

import io.uffdgc.heap.handle.ForeignHandleException;
import io.uffdgc.heap.handle.HandleException;
import io.uffdgc.heap.handle.HandleTableFullException;
import io.uffdgc.heap.handle.NullHandleException;
import io.uffdgc.heap.handle.StaleHandleException;
import io.uffdgc.uffd.gen.Uffdgc;
import io.uffdgc.uffd.gen.ugc_heap;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import org.agrona.collections.IntArrayList;

/**
 * The root table and the handles that name its slots.
 *
 * <p>The root table is ugc_ref[maxHandles] in native memory (the collector reads the first
 * nroots entries); a parallel native int array holds each slot's generation. There are two
 * root tables: beside the mutators the collector writes the roots' forwarded values into
 * the other one, and its flip pause swaps them (gc/roots.c), so {@link #followRootTable}
 * follows the descriptor after every heap safepoint. Every write to a slot then sets the
 * slot's card (a byte per UGC_ROOT_CARD_SLOTS slots; cleared in the TAIL pause), so the pause
 * redoes only the slots written since. All are reserved at full size up front and never move, so growing the used
 * part (nroots, the high-water mark) needs no safepoint.
 *
 * <p>A handle's bits are laid out in {@link io.uffdgc.heap.handle.Handles}. A live slot holds a non-zero ref and the generation of the one handle that names it;
 * release clears the ref and advances the generation (with a CAS, so two racing releases
 * cannot both succeed), which turns every old copy of the handle stale. Handle 0 is null:
 * heap ids start at 1, so no handle is 0.
 *
 * <p>Free slots are kept in a shared list guarded by this object's monitor; mutators take
 * and return them in batches ({@link #takeSlots}, {@link #returnSlots}) so the lock is not
 * on the per-handle path.
 *
 * <p>In a package only the heap and the collector reach ({@code module-info.java}): whoever
 * holds the table can mint a handle ({@link #issue}), which the heap's promise that forged
 * handles are rejected forbids to anyone else.
 */
public final class HandleTable {
    private static final long SLOT_MASK = (1L << SLOT_BITS) - 1;
    private static final int GEN_SHIFT = SLOT_BITS;
    private static final int GEN_MASK = (1 << GEN_BITS) - 1;
    private static final int HEAP_SHIFT = SLOT_BITS + GEN_BITS;
    private static final long HEAP_BITS_MASK = ~((1L << HEAP_SHIFT) - 1);
    private static final VarHandle GEN = ValueLayout.JAVA_INT.arrayElementVarHandle();

    private final int heapId;
    private final long heapBits;
    private final String heapName;
    private final int maxHandles;
    /** The live root table (the descriptor's roots) and the other one (its roots_next). */
    private MemorySegment roots, spare;
    private final MemorySegment gens;
    private final MemorySegment cards;
    /**
     * Whether root writes set cards: from a TAIL pause to the flip (or the next MARK_BEGIN,
     * for a cycle given up before its flip). A plain field: written only at
     * heap safepoints, so each mutator reads it after the one that set it (SafepointCoordinator
     * G3). Without it, every root write paid a card read (docs/engine.md, "Roots").
     */
    private boolean cardsArmed;
    private final MemorySegment descriptor;
    private final IntArrayList free = new IntArrayList();
    private int highWater;

    /**
     * @param roots      native ugc_ref[maxHandles], zeroed
     * @param rootsNext  the same again, for the collector's forwarded roots
     * @param gens       native int[maxHandles], zeroed
     * @param cards      native byte[ceil(maxHandles / UGC_ROOT_CARD_SLOTS)]
     * @param descriptor the ugc_heap whose roots/nroots/roots_next/root_cards this table maintains
     */
    public HandleTable(int heapId, String heapName, int maxHandles, MemorySegment roots, MemorySegment rootsNext,
                       MemorySegment gens, MemorySegment cards, MemorySegment descriptor) {
        if (heapId < 1 || heapId > MAX_HEAP_ID) throw new IllegalArgumentException("heap id " + heapId + " out of range");
        if (maxHandles < 1 || maxHandles > MAX_HANDLES)
            throw new IllegalArgumentException("maxHandles " + maxHandles + " not in [1, " + MAX_HANDLES + "]");
        this.heapId = heapId;
        this.heapBits = (long) heapId << HEAP_SHIFT;
        this.heapName = heapName;
        this.maxHandles = maxHandles;
        if (cards.byteSize() < cardBytes(maxHandles))
            throw new IllegalArgumentException("cards: " + cards.byteSize() + " bytes for " + maxHandles + " slots");
        this.roots = roots;
        this.spare = rootsNext;
        this.gens = gens;
        this.cards = cards;
        this.descriptor = descriptor;
        ugc_heap.roots(descriptor, roots.address());
        ugc_heap.roots_next(descriptor, rootsNext.address());
        ugc_heap.root_cards(descriptor, cards.address());
        ugc_heap.nroots(descriptor, 0);
    }

    private static long cardOf(long slot) { return slot >>> Uffdgc.UGC_ROOT_CARD_SHIFT(); }

    /** Bytes of the card table (ugc_heap.root_cards) for a table of maxHandles slots. */
    public static long cardBytes(int maxHandles) { return cardOf(maxHandles - 1) + 1; }

    /**
     * Before a write to slot: its card, for the collector (ugc_heap.root_cards). Before, not
     * after: only the flip pause reads the cards, so their order does not matter to it, and
     * a throw between the two (a StackOverflowError) then leaves an extra dirty card, not a
     * changed slot with a clean one. Set only if
     * clear (HotSpot's conditional card marking): the card's cache line covers 2048 slots,
     * which every mutator's handles share, so a store each time would bounce the line between
     * cores. No fence is needed because cards are cleared only at a heap safepoint
     * ({@link #clearRootCards}): a card this thread reads as set was set after the clear,
     * so the flip redoes this slot with it.
     */
    private void dirty(long slot) {
        if (!cardsArmed) return; // outside [TAIL, FLIP] nothing reads the cards
        long card = cardOf(slot);
        if (cards.get(ValueLayout.JAVA_BYTE, card) == 0) cards.set(ValueLayout.JAVA_BYTE, card, (byte) 1);
    }

    /**
     * At a heap safepoint (the TAIL pause, before the collector computes the roots'
     * forwardings ahead): clears every card, so the flip redoes only the slots written since,
     * and arms them until the flip ({@link #disarmRootCards}).
     */
    public void clearRootCards() {
        int hw = usedSlots();
        if (hw > 0) cards.asSlice(0, cardOf(hw - 1) + 1).fill((byte) 0);
        cardsArmed = true;
    }

    /**
     * At the end of every heap safepoint (the requester's thread, mutators stopped): takes the
     * table the descriptor names as the live one, the flip having swapped them or not. The
     * mutators read {@link #roots} only after the safepoint's end (SafepointCoordinator G3).
     */
    public void followRootTable() {
        long live = ugc_heap.roots(descriptor);
        if (live == roots.address()) return;
        if (live != spare.address())
            throw new IllegalStateException("heap '" + heapName + "': the descriptor names root table 0x"
                    + Long.toHexString(live) + ", neither of its two");
        MemorySegment old = roots;
        roots = spare;
        spare = old;
    }

    /** At a heap safepoint (after a flip, and at MARK_BEGIN): root writes stop setting cards until the next TAIL pause. */
    public void disarmRootCards() { cardsArmed = false; }

    public int maxHandles() { return maxHandles; }

    /**
     * The ugc_ref the handle names. The hot path of every access: four compares and two
     * native loads. Anything wrong (null, foreign, stale, forged) goes to the cold path.
     */
    public int ref(long handle) {
        long slot = handle & SLOT_MASK;
        if ((handle & HEAP_BITS_MASK) != heapBits || slot >= maxHandles) throw rejection(handle);
        int ref = roots.getAtIndex(ValueLayout.JAVA_INT, slot);
        int gen = gens.getAtIndex(ValueLayout.JAVA_INT, slot);
        if (gen != generationOf(handle) || ref == 0) throw rejection(handle);
        return ref;
    }

    /**
     * What the handle's slot holds now, without checking the handle is live (0 for a handle
     * of another heap or a slot out of range): the write barrier's view of a root it is about
     * to drop. Any value a slot ever holds names an object, so logging a stale one is harmless.
     */
    public int peek(long handle) {
        long slot = handle & SLOT_MASK;
        if ((handle & HEAP_BITS_MASK) != heapBits || slot >= maxHandles) return 0;
        return roots.getAtIndex(ValueLayout.JAVA_INT, slot);
    }

    /** Points a live handle at another object (ref non-zero); the handle stays the same value. */
    public void retarget(long handle, int ref) {
        ref(handle);
        dirty(handle & SLOT_MASK);
        roots.setAtIndex(ValueLayout.JAVA_INT, handle & SLOT_MASK, ref);
    }

    /**
     * Makes a handle for ref in a slot the caller took with {@link #takeSlots} and owns.
     * The slot's generation was advanced when it was last released (or is 0 if never used).
     */
    public long issue(int slot, int ref) {
        int gen = gens.getAtIndex(ValueLayout.JAVA_INT, slot);
        if (gen == 0) {
            gen = 1;
            gens.setAtIndex(ValueLayout.JAVA_INT, slot, gen);
        }
        dirty(slot);
        roots.setAtIndex(ValueLayout.JAVA_INT, slot, ref);
        return heapBits | ((long) gen << GEN_SHIFT) | slot;
    }

    /**
     * Releases a live handle and returns its slot, now owned by the caller (put it back with
     * {@link #returnSlots} or reuse it with {@link #issue}).
     *
     * @throws HandleException if the handle is not live
     */
    public int release(long handle) {
        int slot = tryRelease(handle);
        if (slot < 0) throw rejection(handle);
        return slot;
    }

    /** Like {@link #release} but returns -1 instead of throwing when the handle is not live. */
    public int tryRelease(long handle) {
        long slot = handle & SLOT_MASK;
        if ((handle & HEAP_BITS_MASK) != heapBits || slot >= maxHandles) return -1;
        int gen = generationOf(handle);
        if (roots.getAtIndex(ValueLayout.JAVA_INT, slot) == 0) return -1;
        // The CAS decides between racing releases of the same handle: only one wins the slot.
        if (!GEN.compareAndSet(gens, 0L, slot, gen, nextGeneration(gen))) return -1;
        dirty(slot);
        roots.setAtIndex(ValueLayout.JAVA_INT, slot, 0);
        return (int) slot;
    }

    private static int generationOf(long handle) { return (int) (handle >>> GEN_SHIFT) & GEN_MASK; }

    private static int nextGeneration(int gen) {
        int next = (gen + 1) & GEN_MASK;
        return next == 0 ? 1 : next;
    }

    /**
     * Moves up to dst.length free slots into dst and returns how many; takes fresh slots above
     * the high-water mark (raising nroots) when the free list is empty.
     *
     * @throws HandleTableFullException if no slot is free at all
     */
    public synchronized int takeSlots(int[] dst, int max) {
        int n = 0;
        while (n < max && !free.isEmpty()) dst[n++] = free.popInt();
        while (n < max && highWater < maxHandles) dst[n++] = highWater++;
        if (n == 0)
            throw new HandleTableFullException("heap '" + heapName + "': all " + maxHandles
                    + " handle slots are in use; release handles or close handle scopes");
        ugc_heap.nroots(descriptor, highWater);
        return n;
    }

    /** Slots ever handed out (the high-water mark, nroots), read under the lock that raises it. */
    private synchronized int usedSlots() { return highWater; }

    /** Gives count slots from src[from..] back to the shared free list. */
    public synchronized void returnSlots(int[] src, int from, int count) {
        for (int i = from; i < from + count; i++) free.addInt(src[i]);
    }

    /** Live handles right now (a scan of the used part of the table; for tests and statistics). */
    public long liveCount() {
        int hw = usedSlots();
        long n = 0;
        for (int i = 0; i < hw; i++) if (roots.getAtIndex(ValueLayout.JAVA_INT, i) != 0) n++;
        return n;
    }

    /** The precise exception for a handle that {@link #ref} refused. Cold path. */
    public HandleException rejection(long handle) {
        String h = "handle 0x" + Long.toHexString(handle);
        if (handle == NULL) return new NullHandleException("null handle where an object of heap '" + heapName + "' is required");
        long otherHeap = handle >>> HEAP_SHIFT;
        if ((handle & HEAP_BITS_MASK) != heapBits) {
            return new ForeignHandleException(handle, otherHeap == 0 || otherHeap > MAX_HEAP_ID
                    ? h + " is not a handle of any heap (heap id " + otherHeap + "): forged or corrupted"
                    : h + " belongs to heap #" + otherHeap + ", not to heap #" + heapId + " '" + heapName + "'");
        }
        long slot = handle & SLOT_MASK;
        int hw = usedSlots();
        if (slot >= hw)
            return new StaleHandleException(handle, h + " names slot " + slot + ", which heap '" + heapName
                    + "' never issued (" + hw + " slots used): forged or corrupted");
        int now = gens.getAtIndex(ValueLayout.JAVA_INT, slot);
        return new StaleHandleException(handle, h + " (slot " + slot + ", generation " + generationOf(handle)
                + ") of heap '" + heapName + "' was released; the slot is now at generation " + now
                + (roots.getAtIndex(ValueLayout.JAVA_INT, slot) == 0 ? " and free" : " and holds another object"));
    }

}
