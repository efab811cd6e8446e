package io.uffdgc.heap;

import io.uffdgc.heap.alloc.AllocationSpace;
import io.uffdgc.heap.handle.Handles;
import io.uffdgc.heap.internal.HandleTable;
import io.uffdgc.heap.internal.HeapInternals;
import io.uffdgc.heap.internal.HeapReadGuard;
import io.uffdgc.heap.internal.SatbSink;
import io.uffdgc.heap.layout.LayoutTable;
import io.uffdgc.heap.layout.RecordLayout;
import io.uffdgc.uffd.Memory;
import io.uffdgc.uffd.gen.ugc_heap;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;

/**
 * An off-heap managed heap: one reserved address range holding objects the C collector can
 * parse (ugc_object.h), its layout table and root table in native memory, and the ugc_heap
 * descriptor that tells C where all of them are.
 *
 * <p>Offsets: the heap's objects live in [base+start, base+top); top() and the descriptor's
 * top are byte offsets from base. The first word is never an object, so a reference (a 32-bit
 * word offset) of 0 is null.
 *
 * <p>Threads use the heap through a {@link Mutator} ({@link #attach()}). The collector uses
 * {@link #stopTheWorld()}, {@link #setCollectionHook} and, through
 * {@link io.uffdgc.heap.internal.HeapInternals} (a package only the collector's module may
 * reach), the descriptor, the heap range, the handle table and the top.
 */
public final class Heap implements AutoCloseable {
    /** Byte offset of the first object: the word at offset 0 stays empty so ref 0 can mean null. */
    public static final long START = 8;
    private static final long ONE_GIB = 1L << 30;

    static {
        HeapInternals.install(new HeapInternals.Bridge() {
            @Override public MemorySegment descriptor(Heap heap) { return heap.descriptor(); }

            @Override public MemorySegment segment(Heap heap) { return heap.segment(); }

            @Override public HandleTable handles(Heap heap) { return heap.handles(); }

            @Override public void resetTop(Heap heap, long newTop) { heap.resetTop(newTop); }

            @Override public void setLiveBytes(Heap heap, long bytes) { heap.setLiveBytes(bytes); }

            @Override public void setSatbSink(Heap heap, SatbSink sink) { heap.barrier.setSink(sink); }

            @Override public void clearRootCards(Heap heap) {
                heap.inPause("clearRootCards");
                heap.handles.clearRootCards();
            }

            @Override public void beginMarking(Heap heap) {
                heap.inPause("beginMarking").begin(heap.safepoints.mutators());
                heap.handles.disarmRootCards(); // a cycle given up after its TAIL pause left them armed
            }

            @Override public void endMarking(Heap heap) {
                SatbBarrier b = heap.inPause("endMarking");
                b.drain(heap.safepoints.mutators());
                b.end();
            }

            @Override public void rootsCopied(Heap heap) { heap.barrier.rootsCopied(); }

            @Override public void cancelMarking(Heap heap) { heap.barrier.cancel(); }

            @Override public void disableBarrierForTesting(Heap heap) { heap.barrier.disableForTesting(); }

            @Override public HeapReadGuard holdOpen(Heap heap) { return heap.closeGuard.hold(heap); }

            @Override public Object claimCollector(Heap heap, Object collector) {
                return heap.collector.compareAndExchange(null, collector);
            }

            @Override public void releaseCollector(Heap heap, Object collector) {
                heap.collector.compareAndSet(collector, null);
            }
        });
    }

    private final int id;
    private final HeapConfig config;
    private final long base;
    private final long capacity;
    private final Arena arena;
    private final MemorySegment segment;
    private final MemorySegment descriptor;
    private final long layoutsAddr, layoutsBytes, rootsAddr, rootsNextAddr, gensAddr, cardsAddr, handleBytes, cardBytes;
    private final LayoutTable layouts;
    private final HandleTable handles;
    private final AllocationSpace space;
    private final SafepointCoordinator safepoints = new SafepointCoordinator();
    private final SatbBarrier barrier = new SatbBarrier();
    private final CloseGuard closeGuard = new CloseGuard();
    private final Object lifecycle = new Object();
    private volatile CollectionHook collectionHook;
    /** The one collector attached (HeapInternals.claimCollector), or null. */
    private final AtomicReference<Object> collector = new AtomicReference<>();
    private volatile long liveBytes = -1;
    /** The last identity given out (Mutator.allocateWithIdentity); mutators take blocks of them. */
    private final java.util.concurrent.atomic.AtomicLong identities = new java.util.concurrent.atomic.AtomicLong();
    private volatile boolean closed;

    private Heap(int id, HeapConfig config) {
        this.id = id;
        this.config = config;
        this.capacity = config.capacity();
        long page = Memory.pageSize();
        this.layoutsBytes = roundUp(LayoutTable.NATIVE_BYTES, page);
        this.handleBytes = roundUp((long) config.maxHandles() * Integer.BYTES, page);
        this.cardBytes = roundUp(HandleTable.cardBytes(config.maxHandles()), page);
        // 1 GiB alignment lets the collector's flip mremap whole page-table levels (UFFD-FACTS.md).
        this.base = Memory.reserve(capacity, capacity >= ONE_GIB ? ONE_GIB : HeapConfig.TWO_MIB);
        long l = 0, r = 0, n = 0, g = 0, c = 0;
        Arena a = null;
        try {
            l = Memory.reserve(layoutsBytes, page);
            r = Memory.reserve(handleBytes, page);
            n = Memory.reserve(handleBytes, page);
            g = Memory.reserve(handleBytes, page);
            c = Memory.reserve(cardBytes, page);
            a = Arena.ofShared();
        } catch (RuntimeException e) {
            unmapQuietly(base, capacity);
            if (l != 0) unmapQuietly(l, layoutsBytes);
            if (r != 0) unmapQuietly(r, handleBytes);
            if (n != 0) unmapQuietly(n, handleBytes);
            if (g != 0) unmapQuietly(g, handleBytes);
            if (c != 0) unmapQuietly(c, cardBytes);
            throw e;
        }
        this.layoutsAddr = l;
        this.rootsAddr = r;
        this.rootsNextAddr = n;
        this.gensAddr = g;
        this.cardsAddr = c;
        this.arena = a;
        // Every segment is bound to the arena: after close() an access throws instead of touching unmapped memory.
        this.segment = bind(base, capacity);
        this.descriptor = arena.allocate(ugc_heap.layout());
        ugc_heap.base(descriptor, base);
        ugc_heap.capacity(descriptor, capacity);
        ugc_heap.top(descriptor, START);
        this.layouts = new LayoutTable(bind(layoutsAddr, layoutsBytes), descriptor, capacity - START);
        this.handles = new HandleTable(id, config.name(), config.maxHandles(), bind(rootsAddr, handleBytes),
                bind(rootsNextAddr, handleBytes), bind(gensAddr, handleBytes), bind(cardsAddr, cardBytes), descriptor);
        this.space = new AllocationSpace(START, capacity);
    }

    /**
     * Reserves a heap as configured; several heaps may exist at once, each with an id no other
     * open heap has.
     *
     * @throws TooManyHeapsException if {@link Handles#MAX_HEAP_ID} heaps are open already
     */
    public static Heap create(HeapConfig config) {
        int id = HeapIds.acquire();
        try {
            return new Heap(id, config);
        } catch (RuntimeException | Error e) {
            HeapIds.release(id);
            throw e;
        }
    }

    private MemorySegment bind(long addr, long len) {
        return MemorySegment.ofAddress(addr).reinterpret(len, arena, null);
    }

    private static long roundUp(long v, long to) { return (v + to - 1) / to * to; }

    private static void unmapQuietly(long addr, long len) {
        try {
            Memory.unmap(addr, len);
        } catch (RuntimeException ignored) {
            // already failing: the first error is the one to report
        }
    }

    // ---------------------------------------------------------------- what the collector reads

    /** The ugc_heap descriptor (HeapInternals; package-private for the heap's own tests). */
    MemorySegment descriptor() { checkOpen(); return descriptor; }

    /** Address of the first byte of the heap range. */
    public long base() { checkOpen(); return base; }

    /** Bytes reserved at base. */
    public long capacity() { checkOpen(); return capacity; }

    /** Byte offset of the first object. */
    public long start() { checkOpen(); return START; }

    /** Byte offset of the allocation top: [start, top) is claimed (parseable only at a safepoint). */
    public long top() { checkOpen(); return space.top(); }

    /** The whole heap range [base, base+capacity) as one segment, valid until close() (HeapInternals). */
    MemorySegment segment() { checkOpen(); return segment; }

    public LayoutTable layouts() { checkOpen(); return layouts; }

    HandleTable handles() { checkOpen(); return handles; }

    public String name() { return config.name(); }

    public int id() { return id; }

    public HeapConfig config() { return config; }

    public boolean isClosed() { return closed; }

    public void setCollectionHook(CollectionHook hook) { checkOpen(); this.collectionHook = hook; }

    CollectionHook collectionHook() { return collectionHook; }

    /** Live bytes after the last collection, or -1 if no collection reported any. */
    public long liveBytesHint() { return liveBytes; }

    void setLiveBytes(long bytes) {
        if (bytes < 0) throw new IllegalArgumentException("live bytes " + bytes + " is negative");
        this.liveBytes = bytes;
    }

    /** Time from safepoint request to every mutator stopped, nanoseconds; a copy. */
    public Histogram timeToSafepoint() { return safepoints.timeToSafepoint(); }

    // ---------------------------------------------------------------- layouts

    /** Defines a record layout. @see LayoutTable#defineRecord */
    public RecordLayout defineRecord(String name, int nrefs, int dataBytes) {
        checkOpen();
        return layouts.defineRecord(name, nrefs, dataBytes);
    }

    /** The first of count fresh identities (never 0), for a mutator's block. */
    long takeIdentities(int count) { return identities.getAndAdd(count) + 1; }

    // ---------------------------------------------------------------- mutators and safepoints

    /** Attaches the calling thread as a mutator (one per thread and heap). */
    public Mutator attach() {
        Mutator m;
        synchronized (lifecycle) {
            checkOpen();
            Thread t = Thread.currentThread();
            if (safepoints.mutatorOf(t) != null)
                throw new MutatorStateException("thread '" + t.getName() + "' is already attached to heap '" + name() + "'");
            m = new Mutator(this, t, safepoints, segment, handles, layouts, space, config.tlabBytes(), barrier);
            safepoints.register(m);
        }
        m.safepoint(); // registered as RUNNING: a safepoint in progress must see it stop
        return m;
    }

    /**
     * Detaches a mutator from any thread, provided its owner is inside a blocking region (or
     * died there): its handles are released, its TLAB retired, and the owner's exitBlocking()
     * then throws {@link MutatorStateException}. For embedders that keep one mutator per
     * thread of a pool and park it in a blocking region between uses, so closing does not
     * need every pool thread's help. Returns false, changing nothing, if the mutator is not
     * blocked (running, stopped at a safepoint, or detached already) or belongs to another heap.
     */
    public boolean detachBlocked(Mutator m) {
        if (m.heap != this) return false;
        if (safepoints.heldByCurrentThread())
            throw new IllegalStateException("cannot detach a mutator inside a safepoint session of heap '" + name() + "'");
        safepoints.lock(); // a requester retires blocked mutators' TLABs: not at the same time as the detach
        try {
            return m.detachIfBlocked();
        } finally {
            safepoints.unlock();
        }
    }

    /** Attached mutators now. */
    public int mutatorCount() { return safepoints.mutators().size(); }

    /**
     * Stops every mutator at a heap safepoint; waits as long as it takes, and names the
     * mutators that keep it waiting after a second ({@link SafepointWait#DEFAULT}).
     */
    public SafepointSession stopTheWorld() {
        return stopTheWorld(SafepointWait.DEFAULT);
    }

    /** Like {@link #stopTheWorld()} but gives up (resuming everyone) after timeout. */
    public SafepointSession stopTheWorld(Duration timeout) {
        return stopTheWorld(SafepointWait.failAfter(timeout));
    }

    /** Stops every mutator at a heap safepoint, reporting or giving up after wait's limit. */
    public SafepointSession stopTheWorld(SafepointWait wait) {
        java.util.Objects.requireNonNull(wait, "wait");
        checkOpen();
        if (safepoints.heldByCurrentThread()) return new SafepointSession(this, null, 0, true);
        // The requesting thread's own mutator counts as safe, or it would wait for itself.
        Mutator self = safepoints.mutatorOf(Thread.currentThread());
        if (self != null) self.enterBlocking();
        try {
            safepoints.lock();
            try {
                checkOpen();
                long ttsp = safepoints.stopAll(wait, name());
                ugc_heap.top(descriptor, space.top());
                return new SafepointSession(this, self, ttsp, false);
            } catch (RuntimeException | Error e) {
                safepoints.unlock();
                throw e;
            }
        } catch (RuntimeException | Error e) {
            if (self != null) self.exitBlocking();
            throw e;
        }
    }

    /** Returns when the mutators were released ({@link SafepointCoordinator#resumeAll}). */
    long endSafepoint(Mutator self) {
        long released;
        try {
            ugc_heap.top(descriptor, space.top());
            handles.followRootTable(); // and here too, for a flip that failed after it swapped them
        } finally {
            // Whatever failed above, the mutators resume: a throw here must not stop the world for good.
            released = safepoints.resumeAll();
            safepoints.unlock();
            if (self != null) self.exitBlocking();
        }
        return released;
    }

    /** The barrier, for a collector step that must run inside the calling thread's safepoint session. */
    private SatbBarrier inPause(String what) {
        checkOpen();
        if (!inSafepoint()) throw new IllegalStateException(what + " outside a safepoint session of the calling thread");
        return barrier;
    }

    /** True if the calling thread holds this heap's safepoint. */
    public boolean inSafepoint() { return safepoints.heldByCurrentThread() && safepoints.requested; }

    /**
     * After compaction: the heap holds objects in [start, newTop) and allocation continues at
     * newTop. Only inside a safepoint session of the calling thread.
     */
    void resetTop(long newTop) {
        checkOpen();
        if (!inSafepoint())
            throw new IllegalStateException("resetTop(" + newTop + ") outside a safepoint session of the calling thread");
        space.reset(newTop);
        ugc_heap.top(descriptor, newTop);
        handles.followRootTable(); // the flip swapped the root tables: handles resolve through the new one from here
        handles.disarmRootCards();  // and it used the cards (or needed none): off until the next TAIL pause
    }

    // ---------------------------------------------------------------- closing

    /**
     * Unmaps the heap and its tables. Refused while mutators are attached (a mutator whose
     * thread ended without detaching is detached here). Closing twice does nothing.
     */
    @Override
    public void close() {
        // A collector step that reads the heap beside the mutators (concurrent marking) ends first.
        try (CloseGuard.Closing _ = closeGuard.close(safepoints.mutatorOf(Thread.currentThread()))) {
            closeNow();
        }
    }

    private void closeNow() {
        synchronized (lifecycle) {
            if (closed) return;
            if (safepoints.heldByCurrentThread())
                throw new IllegalStateException("cannot close heap '" + name() + "' inside its own safepoint session");
            safepoints.lock();
            try {
                List<String> alive = new ArrayList<>();
                for (Mutator m : safepoints.mutators()) {
                    if (m.owner.isAlive()) alive.add("'" + m.owner.getName() + "'");
                    else m.detachNow();
                }
                if (!alive.isEmpty())
                    throw new HeapInUseException("cannot close heap '" + name() + "': " + alive.size()
                            + " mutator(s) still attached (threads " + alive + "); detach them first");
                closed = true;
                try {
                    arena.close();
                    Memory.unmap(base, capacity);
                    Memory.unmap(layoutsAddr, layoutsBytes);
                    Memory.unmap(rootsAddr, handleBytes);
                    Memory.unmap(rootsNextAddr, handleBytes);
                    Memory.unmap(gensAddr, handleBytes);
                    Memory.unmap(cardsAddr, cardBytes);
                } finally {
                    // closed is set: no handle of this heap resolves any more, so its id is free
                    HeapIds.release(id);
                }
            } finally {
                safepoints.unlock();
            }
        }
    }

    private void checkOpen() {
        if (closed) throw new HeapClosedException("heap '" + name() + "' (#" + id + ") is closed");
    }

    @Override
    public String toString() {
        return "Heap '" + name() + "' #" + id + (closed ? " (closed)" : " [0x" + Long.toHexString(base) + ", capacity "
                + capacity + ", top " + space.top() + "]");
    }
}
