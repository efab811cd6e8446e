package io.uffdgc.gc.engine;

import io.uffdgc.gc.EngineStats;
import io.uffdgc.uffd.NativeCallException;
import io.uffdgc.uffd.NativeLibrary;
import io.uffdgc.uffd.gen.Uffdgc;
import io.uffdgc.uffd.gen.ugc_gc_stats;
import io.uffdgc.uffd.service.Resolver;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The collector engine in C ({@code ugc_gc.h}): one downcall per step of a cycle.
 * Java decides when and in which mode; every piece of work a faulting mutator may
 * wait on runs inside these downcalls or on the native fault service's threads.
 *
 * <p>mark, plan and flip must run inside a heap safepoint (or, marking concurrently: markBegin,
 * remark, and planTail with flip, inside short ones; markConcurrent, planConcurrent and, after a
 * safepoint that retires TLABs and clears the root cards, planTailAhead between them on the cycle's thread; satbPush
 * on any mutator); compact runs on compactor
 * threads while mutators run; finish ends the window. Not thread-safe except for
 * {@link #compact}, which several compactor threads call at once.
 */
public final class NativeEngine implements AutoCloseable {
    /** Linux x86_64 errno of a finish that timed out (Errno does not name it). */
    private static final int ETIMEDOUT = 110;
    private final MemorySegment handle;
    private boolean closed;

    private NativeEngine(MemorySegment handle) { this.handle = handle; }

    static {
        // The downcalls made inside pauses are linked here, when the first collector is built,
        // not in its first cycle's pauses: creating a downcall handle takes ~2 ms (measured on
        // JDK 25 here; its first call ~0.5 ms more, which stays in that first pause).
        // (A $handle() call initializes the binding's holder class, which creates the handle.)
        NativeLibrary.load();
        Uffdgc.ugc_gc_mark_begin$handle();  // MARK_BEGIN
        Uffdgc.ugc_gc_satb_push$handle();   // REMARK: the mutators' barrier buffers
        Uffdgc.ugc_gc_remark$handle();
        Uffdgc.ugc_gc_plan_tail$handle();   // FLIP
        Uffdgc.ugc_gc_flip$handle();
        Uffdgc.ugc_gc_mark$handle();        // the stop-the-world marking's one pause
        Uffdgc.ugc_gc_plan$handle();
    }

    /**
     * @param heapDescriptor    address of the heap's {@code ugc_heap}; must outlive the engine
     * @param firstObjectOffset bytes of the heap before its first object (they never move)
     */
    public static NativeEngine create(long heapDescriptor, long firstObjectOffset) {
        NativeLibrary.load();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
            NativeCallException.check(Uffdgc.ugc_gc_create(heapDescriptor, firstObjectOffset, out), "ugc_gc_create",
                    "heap descriptor 0x" + Long.toHexString(heapDescriptor) + ", first object at " + firstObjectOffset);
            return new NativeEngine(out.get(ValueLayout.ADDRESS, 0));
        }
    }

    /** The engine's address (tests steer it through the ugc_testing.h knobs). */
    public long address() { return handle.address(); }

    /** The engine's fault resolver for the fault service: {@code ugc_gc_resolve}, with this engine as context. */
    public Resolver resolver() { return Resolver.of("ugc_gc_resolve", Uffdgc.ugc_gc_resolve$address(), address()); }

    public void setRunPages(int pages) {
        NativeCallException.check(Uffdgc.ugc_gc_set_run_pages(handle, pages), "ugc_gc_set_run_pages",
                pages + " pages (1.." + Uffdgc.UGC_GC_MAX_RUN_PAGES() + ", between cycles)");
    }

    /** Threads one trace uses (1..64), stop-the-world and concurrent marking alike; between cycles. */
    public void setMarkThreads(int threads) {
        NativeCallException.check(Uffdgc.ugc_gc_set_mark_threads(handle, threads), "ugc_gc_set_mark_threads",
                threads + " threads (1..64, between cycles)");
    }

    /** Live percentage (0..100, 0 = off) from which a page of the heap's bottom stays in place; between cycles. */
    public void setDensePercent(int percent) {
        NativeCallException.check(Uffdgc.ugc_gc_set_dense_percent(handle, percent), "ugc_gc_set_dense_percent",
                percent + " percent (0..100, between cycles)");
    }

    /** MOVE mode: lone pages installed by COPY (true) or MOVE (false); between cycles. */
    public void setCopySinglePages(boolean on) {
        NativeCallException.check(Uffdgc.ugc_gc_set_copy_single_pages(handle, on ? 1 : 0), "ugc_gc_set_copy_single_pages",
                on + " (between cycles)");
    }

    /** madvise(MADV_HUGEPAGE) on from-space: dense 2 MiB blocks can then move back as one PMD. */
    public void adviseHugePages() {
        NativeCallException.check(Uffdgc.ugc_gc_advise_huge_pages(handle), "ugc_gc_advise_huge_pages", "from-space");
    }

    /**
     * From now on C adds to the long at address (8-byte aligned; 0 unsets) whatever it adds to
     * engine counter stat (an index into UGC_GC_STATS), over every cycle. The memory must stay
     * mapped until the engine is closed.
     */
    public void setLiveCounter(int stat, long address) {
        NativeCallException.check(Uffdgc.ugc_gc_set_live_counter(handle, stat, address), "ugc_gc_set_live_counter",
                "counter " + stat + " at 0x" + Long.toHexString(address));
    }

    /** Marks from the roots; returns live bytes. Heap safepoint only. */
    public long mark() {
        return NativeCallException.check(Uffdgc.ugc_gc_mark(handle), "ugc_gc_mark",
                "a root or reference names no valid object (EINVAL), or a window is still open (EBUSY)");
    }

    /** Heap safepoint, TLABs retired: starts a concurrent cycle (objects allocated from now on are live). */
    public void markBegin() {
        NativeCallException.check(Uffdgc.ugc_gc_mark_begin(handle), "ugc_gc_mark_begin",
                "the heap's top is not a word offset in range (EINVAL), or a cycle is under way (EBUSY)");
    }

    /**
     * Mutators running, after markBegin: copies the root table's values for the marker; from its return on,
     * a dropped root needs no log. Returns the root slots copied.
     */
    public long markRoots() {
        return NativeCallException.check(Uffdgc.ugc_gc_mark_roots(handle), "ugc_gc_mark_roots",
                "marking was not begun (EINVAL), or the queue could not grow (ENOMEM)");
    }

    /**
     * Mutators running: traces the roots' copy and what the barrier logged until nothing is queued, on this
     * thread and the engine's other marking threads (native, started and joined inside the call).
     */
    public long markConcurrent() {
        return NativeCallException.check(Uffdgc.ugc_gc_mark_concurrent(handle), "ugc_gc_mark_concurrent",
                "a root or reference names no valid object (EINVAL), or marking was not begun");
    }

    /** A mutator's barrier buffer: count logged references at address. Never throws: a lost push fails remark. */
    public void satbPush(long address, int count) { Uffdgc.ugc_gc_satb_push(handle, address, count); }

    /** Logged references waiting for the marker. */
    public long satbPending() { return Uffdgc.ugc_gc_satb_pending(handle); }

    /** Heap safepoint, every mutator's buffer pushed: finishes marking; returns the bytes marked. */
    public long remark() {
        return NativeCallException.check(Uffdgc.ugc_gc_remark(handle), "ugc_gc_remark",
                "a reference names no valid object (EINVAL), or a barrier buffer could not be queued (ENOMEM)");
    }

    /** Mutators running, after remark: the plan up to the remark top; returns the new top so far. */
    public long planConcurrent() {
        return NativeCallException.check(Uffdgc.ugc_gc_plan_concurrent(handle), "ugc_gc_plan_concurrent", "after remark");
    }

    /**
     * Mutators running, after planConcurrent and a heap safepoint since: plans what was allocated
     * up to that safepoint's top, and the roots' forwardings. Returns the new top so far.
     */
    public long planTailAhead() {
        return NativeCallException.check(Uffdgc.ugc_gc_plan_tail_ahead(handle), "ugc_gc_plan_tail_ahead",
                "after plan_concurrent and a heap safepoint");
    }

    /**
     * Heap safepoint, TLABs retired: plans what was allocated since planTailAhead's safepoint (or
     * since remark, without it); returns the heap's top after compaction.
     */
    public long planTail() {
        return NativeCallException.check(Uffdgc.ugc_gc_plan_tail(handle), "ugc_gc_plan_tail",
                "after plan_concurrent, with the heap's top at or above what is planned");
    }

    /** Gives up a concurrent cycle before its flip. */
    public void markCancel() { Uffdgc.ugc_gc_mark_cancel(handle); }

    /** Computes forwarding and the per-page plan; returns the heap's top after compaction. */
    public long plan() { return NativeCallException.check(Uffdgc.ugc_gc_plan(handle), "ugc_gc_plan", "after mark"); }

    /** Forwards the roots and moves the used heap to from-space; STW mode compacts right here. */
    public void flip(int mode, int uffd) {
        int rc = Uffdgc.ugc_gc_flip(handle, mode, uffd);
        if (rc < 0) NativeCallException.check(rc, "ugc_gc_flip", "mode " + mode + ", uffd " + uffd); // (no string built in the pause)
    }

    /** One compactor thread's whole share of the window; returns the pages it compacted. */
    public long compact(int workerIndex) {
        return NativeCallException.check(Uffdgc.ugc_gc_compact(handle, workerIndex), "ugc_gc_compact",
                "worker " + workerIndex);
    }

    /** Pages of the open window nobody has claimed yet (for a diagnostic). */
    public long unclaimedPages() { return Uffdgc.ugc_gc_pages_unclaimed(handle); }

    /**
     * Ends the window: the engine compacts the pages compactors left, waits for those fault
     * servers hold, unregisters and releases from-space. False if that took longer than
     * timeoutMillis (the window is still open: call again).
     */
    public boolean finish(long timeoutMillis) {
        int rc = Uffdgc.ugc_gc_finish(handle, timeoutMillis);
        if (rc == -ETIMEDOUT) return false;
        NativeCallException.check(rc, "ugc_gc_finish", "unregistering the heap and releasing from-space");
        return true;
    }

    public EngineStats stats() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = ugc_gc_stats.allocate(arena);
            Uffdgc.ugc_gc_stats_read(handle, s);
            return EngineStats.copyOf(s);
        }
    }

    /**
     * Gives up an open window when the heap is gone (closed under the collector): pages
     * not yet mapped are lost. Returns how many there were.
     */
    public long abort() { return Uffdgc.ugc_gc_abort(handle); }

    public synchronized boolean isClosed() { return closed; }

    /** Frees the engine; only with no window open. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        Uffdgc.ugc_gc_free(handle);
    }
}
