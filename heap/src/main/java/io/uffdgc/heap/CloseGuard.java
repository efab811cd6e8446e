package io.uffdgc.heap;

import io.uffdgc.heap.internal.HeapReadGuard;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Keeps a heap mapped while a collector step reads it outside a safepoint (concurrent
 * marking and planning read objects while the mutators run): such a step holds the read
 * side, {@link Heap#close()} takes the write side before it unmaps anything.
 *
 * <p>A closing thread that is itself an attached, running mutator does not wait: the step
 * it would wait for may need a heap safepoint, which would wait for it. Its close() fails
 * anyway, because the heap refuses to close with mutators attached.
 */
final class CloseGuard {
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

    /** What close() holds while it runs; closing it releases the write side (if taken). */
    interface Closing extends AutoCloseable {
        @Override
        void close();
    }

    HeapReadGuard hold(Heap heap) {
        lock.readLock().lock();
        if (heap.isClosed()) {
            lock.readLock().unlock();
            throw new HeapClosedException("heap '" + heap.name() + "' (#" + heap.id() + ") is closed");
        }
        return lock.readLock()::unlock;
    }

    Closing close(Mutator self) {
        if (self != null && self.isAttached()) return () -> {};
        lock.writeLock().lock();
        return lock.writeLock()::unlock;
    }
}
