package io.uffdgc.store;

import io.uffdgc.heap.HandleScope;
import io.uffdgc.heap.Mutator;
import io.uffdgc.heap.MutatorStateException;
import org.agrona.ExpandableArrayBuffer;

/**
 * One thread's way into a store's heap: its {@link Mutator}, parked in a blocking region
 * whenever the thread is not inside a store operation (so an idle or dead thread never holds
 * up a collection's safepoint, and closing the store can detach it from another thread), the
 * handles an operation walks the index with, and the buffers it copies keys and values
 * through.
 *
 * <p>Thread-confined, except {@link #depth}, which close() reads, and {@link #mutator}, which
 * close() detaches once depth is 0.
 */
final class ThreadAccess {
    final Mutator mutator;
    final Thread owner;
    /**
     * Scratch handles, retargeted as an operation walks (never created per operation): a
     * segment's table, three that rotate through a bucket's chain, an entry's key-value
     * array. All are created in a scope that stays open for the mutator's life, so detaching
     * releases them. {@link #rest} names a 16-byte record whose only reference is itself: the
     * others are pointed at it when an operation ends, so they keep no garbage alive.
     */
    final long rest, table, kv;
    /** The scope the scratch handles live in; what must outlive this thread's attachment escapes it. */
    final HandleScope lifetime;
    final long[] chain = new long[3];
    /** The caller's key, as bytes in one array, with its hash. */
    final KeyBytes key = new KeyBytes();
    /** Key bytes read back from the heap to compare. */
    byte[] compare = new byte[64];
    /** Codec output: the key, the value, an expected value; and a value read out of the heap. */
    final ExpandableArrayBuffer keyOut = new ExpandableArrayBuffer(64), valueOut = new ExpandableArrayBuffer(256),
            expectedOut = new ExpandableArrayBuffer(64), valueIn = new ExpandableArrayBuffer(256);

    /** What the last find() saw (handles from chain, or 0). */
    long found, previous;
    int bucket, foundValueLength;
    /** Whether the last update() changed the store. */
    boolean wrote;

    /** Store operations this thread is inside (close waits for 0); written by the owner only. */
    volatile int depth;
    /** True while a caller's function runs inside compute: the store refuses to be re-entered. */
    boolean inCallback;

    /** Attaches the calling thread; returns with the mutator parked (BLOCKED). */
    ThreadAccess(Mutator mutator, StoreLayouts layouts) {
        this.mutator = mutator;
        this.owner = Thread.currentThread();
        this.lifetime = mutator.openScope(); // never closed: detaching the mutator releases what it holds
        this.rest = mutator.allocate(layouts.segment);
        mutator.putRef(rest, StoreLayouts.TABLE, rest);
        this.table = mutator.duplicate(rest);
        this.kv = mutator.duplicate(rest);
        for (int i = 0; i < chain.length; i++) chain[i] = mutator.duplicate(rest);
        mutator.enterBlocking();
    }

    /** Leaves the blocking region: the thread may touch the heap until {@link #park()}. */
    void run() {
        try {
            mutator.exitBlocking();
        } catch (MutatorStateException e) {
            throw new StoreClosedException("store closed while this operation waited: " + e.getMessage());
        }
    }

    /** Drops what the scratch handles hold and re-enters the blocking region. */
    void park() {
        mutator.getRefInto(rest, StoreLayouts.TABLE, table);
        mutator.getRefInto(rest, StoreLayouts.TABLE, kv);
        for (long h : chain) mutator.getRefInto(rest, StoreLayouts.TABLE, h);
        mutator.enterBlocking();
    }

    /** Re-enters the blocking region keeping the scratch handles (compute: the caller's function runs next). */
    void pause() { mutator.enterBlocking(); }

    byte[] compareBuffer(int length) {
        if (compare.length < length) compare = new byte[Math.max(length, compare.length * 2)];
        return compare;
    }
}
