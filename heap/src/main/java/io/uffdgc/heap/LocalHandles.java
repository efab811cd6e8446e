package io.uffdgc.heap;

import io.uffdgc.heap.handle.Handles;
import io.uffdgc.heap.internal.HandleTable;
import java.util.Arrays;

/**
 * One mutator's share of the handle table, kept without a lock: a cache of free root-table
 * slots, taken from and given back to the shared {@link HandleTable} in batches (one lock per
 * batch, not per handle), and the stack of handles created while {@link HandleScope}s are
 * open, which closing a scope releases.
 *
 * <p>Threading: the owner thread of its mutator only, and only while it is RUNNING: issuing
 * and releasing write the root table, which a safepoint requester reads and the collector
 * rewrites. The Mutator checks both before every call. The one other caller is Heap.close(),
 * which runs {@link #releaseAll} for a mutator whose thread died.
 */
final class LocalHandles {
    private static final int SLOT_CACHE = 64, SLOT_BATCH = 32;

    private final HandleTable table;
    private final SatbBarrier barrier;
    private final SatbBuffer satb;
    /** Free slots this mutator owns: slots[0, cachedSlots). */
    private final int[] slots = new int[SLOT_CACHE];
    private int cachedSlots;
    /** Handles created inside open scopes, innermost last; NULL where one escaped. */
    private long[] scoped = new long[64];
    private int scopedCount;
    private int scopeDepth;

    LocalHandles(HandleTable table, SatbBarrier barrier, SatbBuffer satb) {
        this.table = table;
        this.barrier = barrier;
        this.satb = satb;
    }

    /**
     * Makes sure a slot is cached, so the next {@link #issue} needs no lock and cannot fail.
     * Callers call it before they allocate or read the reference: a full handle table then
     * fails the call before anything happened.
     */
    void reserveSlot() {
        if (cachedSlots == 0) cachedSlots = table.takeSlots(slots, SLOT_BATCH);
    }

    /** A new handle naming ref (non-zero), in a slot {@link #reserveSlot} cached; recorded in the innermost scope. */
    long issue(int ref) {
        long h = table.issue(slots[--cachedSlots], ref);
        if (scopeDepth > 0) {
            if (scopedCount == scoped.length) scoped = Arrays.copyOf(scoped, scopedCount * 2);
            scoped[scopedCount++] = h;
        }
        return h;
    }

    /**
     * Releases a live handle (HandleTable.release throws for any other) and caches its slot.
     * While marking is active and the marker has not yet copied the root table, the root it
     * drops is logged first: this handle may have been the last path to its object (stored
     * just now into an object the marker has scanned already).
     */
    void release(long handle) {
        if (barrier.active && barrier.logsRoots()) satb.log(table.peek(handle));
        cacheSlot(table.release(handle));
    }

    private void cacheSlot(int slot) {
        if (cachedSlots == SLOT_CACHE) {
            table.returnSlots(slots, SLOT_CACHE - SLOT_BATCH, SLOT_BATCH);
            cachedSlots -= SLOT_BATCH;
        }
        slots[cachedSlots++] = slot;
    }

    /** Opens a scope for mutator: it marks where its handles begin on the stack. */
    HandleScope openScope(Mutator mutator) { return new HandleScope(mutator, scopedCount, ++scopeDepth); }

    void closeScope(HandleScope scope) {
        if (scope.depth != scopeDepth)
            throw new MutatorStateException("handle scopes closed out of order: closing scope at depth " + scope.depth
                    + " while depth " + scopeDepth + " is innermost");
        releaseScopedFrom(scope.mark);
        scopeDepth--;
    }

    /** Takes handle off the stack of scope (or an inner one), so closing them leaves it live. */
    void escape(HandleScope scope, long handle) {
        for (int i = scopedCount - 1; i >= scope.mark; i--) {
            if (scoped[i] == handle) {
                scoped[i] = Handles.NULL;
                return;
            }
        }
        throw new IllegalArgumentException("handle 0x" + Long.toHexString(handle) + " was not created in this scope");
    }

    /** On detach: releases the handles of every open scope and gives all cached slots back. */
    void releaseAll() {
        releaseScopedFrom(0);
        scopeDepth = 0;
        table.returnSlots(slots, 0, cachedSlots);
        cachedSlots = 0;
    }

    private void releaseScopedFrom(int mark) {
        for (int i = mark; i < scopedCount; i++) {
            // Handles released explicitly meanwhile are skipped: their generation moved on.
            if (scoped[i] != Handles.NULL && barrier.active && barrier.logsRoots()) satb.log(table.peek(scoped[i])); // as in release
            int slot = scoped[i] == Handles.NULL ? -1 : table.tryRelease(scoped[i]);
            if (slot >= 0) cacheSlot(slot);
        }
        scopedCount = mark;
    }
}
