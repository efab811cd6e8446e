package io.uffdgc.store;

import io.uffdgc.heap.Heap;
import io.uffdgc.heap.HeapClosedException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * Attaches every thread that uses a store to its heap, once, and detaches them all when the
 * store closes: the store's callers never see a {@link io.uffdgc.heap.Mutator}.
 *
 * <p>The close protocol is Dekker's, on two volatiles: a thread entering an operation
 * increments its {@link ThreadAccess#depth} and then reads {@link #closed}; close() writes
 * closed and then reads every depth. Either the thread sees closed and backs out, or close
 * sees it inside and waits for it to leave. Once every depth is 0, every mutator is parked
 * in its blocking region and {@link Heap#detachBlocked} detaches it from the closing thread,
 * whether its thread is alive (a pool thread) or dead. Mutators of threads that died are
 * also detached whenever a new thread attaches, so thread churn does not grow the heap's
 * mutator list.
 */
final class Attachments {
    private final Heap heap;
    private final StoreLayouts layouts;
    private final ThreadLocal<ThreadAccess> local = new ThreadLocal<>();
    private final Set<ThreadAccess> all = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    Attachments(Heap heap, StoreLayouts layouts) {
        this.heap = heap;
        this.layouts = layouts;
    }

    /** The calling thread's access, attached if need be, counted as inside an operation. Pair with {@link #leave}. */
    ThreadAccess enter() {
        ThreadAccess a = local.get();
        if (a == null) a = attach();
        if (a.inCallback)
            throw new IllegalStateException("the store was used from inside a compute/merge function on the same thread;"
                    + " such a function must not touch the store");
        a.depth = a.depth + 1; // owner-only write; volatile, so it is ordered before the read of closed
        if (closed) {
            a.depth = a.depth - 1;
            throw closedError();
        }
        return a;
    }

    void leave(ThreadAccess a) { a.depth = a.depth - 1; }

    private synchronized ThreadAccess attach() {
        if (closed) throw closedError();
        detachDead();
        ThreadAccess a;
        try {
            a = new ThreadAccess(heap.attach(), layouts);
        } catch (HeapClosedException e) {
            throw closedError();
        }
        all.add(a);
        local.set(a);
        return a;
    }

    private void detachDead() {
        for (ThreadAccess a : all) {
            if (!a.owner.isAlive() && heap.detachBlocked(a.mutator)) all.remove(a);
        }
    }

    int attachedThreads() { return all.size(); }

    boolean isClosed() { return closed; }

    /**
     * Refuses new operations, waits for those in progress, detaches every thread. Returns false
     * if the store was closed already.
     */
    boolean close() {
        ThreadAccess self = local.get();
        if (self != null && self.depth > 0)
            throw new IllegalStateException("a store cannot be closed from inside one of its own operations");
        synchronized (this) {
            if (closed) return false;
            closed = true;
        }
        for (ThreadAccess a : all) {
            while (a.depth > 0) LockSupport.parkNanos(100_000);
        }
        List<String> stuck = new ArrayList<>();
        for (ThreadAccess a : all) {
            if (!heap.detachBlocked(a.mutator) && a.mutator.isAttached()) stuck.add(a.owner.getName());
        }
        all.clear();
        local.remove();
        if (!stuck.isEmpty()) throw new IllegalStateException("threads " + stuck + " were not parked when the store closed");
        return true;
    }

    private StoreClosedException closedError() {
        return new StoreClosedException("store on heap '" + heap.name() + "' is closed");
    }
}
