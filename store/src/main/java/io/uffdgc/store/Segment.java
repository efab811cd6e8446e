package io.uffdgc.store;

import static io.uffdgc.store.StoreLayouts.HASH;
import static io.uffdgc.store.StoreLayouts.KEY_LENGTH;
import static io.uffdgc.store.StoreLayouts.KV;
import static io.uffdgc.store.StoreLayouts.NEXT;
import static io.uffdgc.store.StoreLayouts.REFERENCED;
import static io.uffdgc.store.StoreLayouts.TABLE;

import io.uffdgc.heap.HandleScope;
import io.uffdgc.heap.HeapExhaustedException;
import io.uffdgc.heap.Mutator;
import io.uffdgc.heap.handle.Handles;
import io.uffdgc.heap.layout.ArrayLayout;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One stripe of the index: a bucket table (a ref array in the heap, named by this segment's
 * record) whose chains hold entry records (see {@link StoreLayouts} for both and for the
 * publication rule). Writers hold {@link #lock}; readers take no lock, unless an in-place
 * write overlapped their copy (below).
 *
 * <p>Why readers need none: an entry's key and hash never change once it is linked, and a
 * table is never changed once another replaces it (a resize copies the entries into a new
 * table, then swaps the segment's TABLE with one store). A reader therefore walks a chain
 * that only ever gains or loses whole entries; the collector keeps whatever it still holds
 * a handle to alive. A value of a new length is a new entry put in the old one's place with
 * one reference store. A value of the same length is written over the old one in place
 * (YCSB's updates, a counter's increments: no garbage, so no collection for them), inside
 * this segment's seqlock {@link #inPlaceWrites}: a reader notes it before its lookup and
 * checks it after its copy ({@link #readConsistent}), and if a write overlapped it reads
 * again under the lock. The seqlock is the segment's, not the entry's, because a
 * resize shares an entry's key-value array between the old table's entry and the new one, so
 * a version kept in the entry record would not be the one the writer bumps. (A stripe per key
 * hash within the segment would send fewer readers to the lock; not needed so far.)
 * Resizing one segment is this segment's business: the others, and readers of this one, do
 * not wait for it.
 *
 * <p>Every method here runs on a thread whose {@link ThreadAccess} is running (out of its
 * blocking region); the writers' methods with {@link #lock} held, taken while that thread
 * was still parked, so a thread waiting for the lock never holds up a safepoint.
 */
final class Segment {
    static final int MIN_TABLE = 16;
    private static final double MAX_LOAD = 0.75;

    final ReentrantLock lock = new ReentrantLock();
    /** Long-lived handle of this segment's record; its TABLE is the bucket table. */
    final long holder;
    private final StoreLayouts layouts;
    /** Most key and value bytes this segment may hold before CLOCK evicts (Long.MAX_VALUE: no bound). */
    final long budget;
    /** Written under lock, read by size() and stats() without it. */
    private volatile int count;
    private volatile long dataBytes;
    /** What this segment keeps reachable in the heap: its record, its table, its entries and their arrays. */
    private volatile long heapBytes;
    private int tableLength;
    /** CLOCK hand: the next bucket eviction looks at. */
    private int hand;
    /**
     * The seqlock of in-place value writes: odd while one is under way. Written under lock
     * (one writer), read by lock-free readers. A reader that sees it odd, or changed across
     * its copy, does not spin: it reads again under the lock, parked while it waits for it. A
     * reader spinning while running would hold up a heap safepoint for as long as it spun.
     */
    private volatile long inPlaceWrites;
    /** Lock-free reads of this segment done again under the lock because a same-length write overlapped them. */
    final java.util.concurrent.atomic.LongAdder readsRepeated = new java.util.concurrent.atomic.LongAdder();

    /** Allocates the segment's record and first table with a's mutator; the record's handle outlives a's thread. */
    Segment(ThreadAccess a, StoreLayouts layouts, int tableLength, long budget) {
        Mutator m = a.mutator;
        this.layouts = layouts;
        this.budget = budget;
        this.holder = a.lifetime.escape(m.allocate(layouts.segment));
        try (HandleScope s = m.openScope()) {
            m.putRef(holder, TABLE, m.newRefArray(tableLength));
        }
        this.tableLength = tableLength;
        this.heapBytes = layouts.segment.sizeBytes() + tableBytes(tableLength);
    }

    private static long tableBytes(int length) { return ArrayLayout.REF.sizeBytes(length); }

    /** Heap bytes of one entry with n key and value bytes: its record and its byte array. */
    private long entryBytes(long n) { return layouts.entry.sizeBytes() + ArrayLayout.BYTE.sizeBytes(n); }

    int count() { return count; }

    long dataBytes() { return dataBytes; }

    long heapBytes() { return heapBytes; }

    int tableLength() { return tableLength; }

    // ---------------------------------------------------------------- reading

    /**
     * Looks k up. On a hit: a.found names the entry, a.kv its key-value array,
     * a.foundValueLength the value's length, a.previous the entry before it (0: it heads its
     * bucket). Always: a.table names the table, a.bucket the key's bucket.
     */
    boolean find(ThreadAccess a, KeyBytes k) {
        Mutator m = a.mutator;
        m.getRefInto(holder, TABLE, a.table);
        VarHandle.acquireFence(); // pairs with the writer's release fence before it published
        int b = k.hash & (m.length(a.table) - 1);
        a.bucket = b;
        a.previous = Handles.NULL;
        a.found = Handles.NULL;
        long[] c = a.chain;
        int prev = -1, cur = 0;
        if (!m.getRefElementInto(a.table, b, c[cur])) return false;
        for (;;) {
            VarHandle.acquireFence();
            if (m.getInt(c[cur], HASH) == k.hash && m.getInt(c[cur], KEY_LENGTH) == k.length && keyEquals(a, c[cur], k)) {
                a.found = c[cur];
                a.previous = prev < 0 ? Handles.NULL : c[prev];
                a.foundValueLength = m.length(a.kv) - k.length;
                return true;
            }
            int next = third(prev, cur);
            if (!m.getRefInto(c[cur], NEXT, c[next])) return false;
            prev = cur;
            cur = next;
        }
    }

    /** The chain handle that is neither prev nor cur (prev -1: none yet): three handles rotate along a chain. */
    private static int third(int prev, int cur) { return prev < 0 ? (cur + 1) % 3 : 3 - prev - cur; }

    private static boolean keyEquals(ThreadAccess a, long entry, KeyBytes k) {
        Mutator m = a.mutator;
        m.getRefInto(entry, KV, a.kv);
        byte[] buf = a.compareBuffer(k.length);
        m.readBytes(a.kv, 0, buf, 0, k.length);
        return Arrays.equals(buf, 0, k.length, k.bytes, k.offset, k.offset + k.length);
    }

    /** After a hit, for a bounded store: marks the entry recently used (a hint; no lock). */
    void touch(ThreadAccess a) {
        if (budget != Long.MAX_VALUE && a.mutator.getByte(a.found, REFERENCED) == 0) a.mutator.putByte(a.found, REFERENCED, (byte) 1);
    }

    /** A read of this segment that copies what it found out of the heap, while its thread runs. */
    @FunctionalInterface
    interface Copy {
        int run();
    }

    /**
     * The one way readers read value bytes: runs copy lock-free and returns its result, unless
     * an in-place write of this segment was under way or overlapped it; then runs it again
     * under the lock, taken parked (a reader spinning while running would hold up a heap
     * safepoint). Called parked; runs copy with a running and leaves it parked again: with
     * park(), or with pause() if keepHandles (a walk whose own handles must survive). A
     * discarded first run may have written into the caller's buffers.
     */
    int readConsistent(ThreadAccess a, Copy copy, boolean keepHandles) {
        a.run();
        try {
            long begin = inPlaceWrites;
            if ((begin & 1) == 0) {
                int result = copy.run();
                VarHandle.acquireFence(); // the copy's loads complete before the seqlock is read again
                if (inPlaceWrites == begin) return result;
            }
        } finally {
            leave(a, keepHandles);
        }
        readsRepeated.increment();
        lock.lock();
        try {
            a.run();
            try {
                return copy.run();
            } finally {
                leave(a, keepHandles);
            }
        } finally {
            lock.unlock();
        }
    }

    private static void leave(ThreadAccess a, boolean keepHandles) {
        if (keepHandles) a.pause();
        else a.park();
    }

    // ---------------------------------------------------------------- writing (lock held)

    /**
     * Links a new entry for k with value bytes [off, off+len) of value: in place of a.found
     * after a hit, at the head of a.bucket after a miss. Every allocation comes first, so a
     * full heap fails the call with the store unchanged.
     */
    void link(ThreadAccess a, KeyBytes k, MemorySegment value, long off, int len) {
        Mutator m = a.mutator;
        boolean replacing = a.found != Handles.NULL;
        if (replacing && len == a.foundValueLength) {
            overwrite(a, k.length, value, off, len);
            return;
        }
        try (HandleScope s = m.openScope()) {
            long kv, e;
            try {
                kv = m.newByteArray(k.length + len);
                e = m.allocate(layouts.entry);
            } catch (HeapExhaustedException x) {
                throw new StoreFullException("no room for an entry of " + k.length + " key and " + len
                        + " value bytes: " + x.getMessage(), x);
            }
            m.writeBytes(kv, 0, k.bytes, k.offset, k.length);
            m.writeBytes(kv, k.length, value, off, len);
            m.putRef(e, KV, kv);
            m.putInt(e, HASH, k.hash);
            m.putInt(e, KEY_LENGTH, k.length);
            long next = a.chain[freeChainHandle(a)];
            if (replacing ? m.getRefInto(a.found, NEXT, next) : m.getRefElementInto(a.table, a.bucket, next))
                m.putRef(e, NEXT, next);
            VarHandle.releaseFence(); // the entry is complete before the store that publishes it
            publish(a, e);
            long bytes = (long) k.length + len;
            heapBytes = heapBytes + entryBytes(bytes);
            if (replacing) {
                dataBytes = dataBytes + bytes - k.length - a.foundValueLength;
                heapBytes = heapBytes - entryBytes((long) k.length + a.foundValueLength);
            } else {
                dataBytes = dataBytes + bytes;
                count = count + 1;
            }
        }
        if (!replacing && count > tableLength * MAX_LOAD) resize(a, tableLength * 2);
    }

    /** Writes a value of a.found's own length over a.found's (after a hit), inside the seqlock. */
    private void overwrite(ThreadAccess a, int keyLength, MemorySegment value, long off, int len) {
        Mutator m = a.mutator;
        m.getRefInto(a.found, KV, a.kv);
        long v = inPlaceWrites;
        inPlaceWrites = v + 1;
        VarHandle.storeStoreFence(); // odd before any byte of the value changes
        m.writeBytes(a.kv, keyLength, value, off, len);
        inPlaceWrites = v + 2;       // a volatile store: every byte written before it is even again
    }

    /** Unlinks a.found (after a hit). */
    void unlink(ThreadAccess a, int keyLength) {
        Mutator m = a.mutator;
        long next = a.chain[freeChainHandle(a)];
        publish(a, m.getRefInto(a.found, NEXT, next) ? next : Handles.NULL);
        dataBytes = dataBytes - keyLength - a.foundValueLength;
        heapBytes = heapBytes - entryBytes((long) keyLength + a.foundValueLength);
        count = count - 1;
        if (tableLength > MIN_TABLE && count < tableLength / 8) resize(a, tableLength / 2);
    }

    /** The chain handle find() left unused (neither a.found nor a.previous). */
    private static int freeChainHandle(ThreadAccess a) {
        for (int i = 0; i < a.chain.length; i++) if (a.chain[i] != a.found && a.chain[i] != a.previous) return i;
        throw new AssertionError("three chain handles, at most two in use");
    }

    /** Stores e (or null) where a.found is or would be: a.previous's NEXT, or the bucket slot. */
    private static void publish(ThreadAccess a, long e) {
        if (a.previous != Handles.NULL) a.mutator.putRef(a.previous, NEXT, e);
        else a.mutator.putRefElement(a.table, a.bucket, e);
    }

    /**
     * Copies every entry into a new table of newLength buckets, then swaps it in with one
     * store. Entries are copied (their key-value arrays shared), never relinked: a reader
     * still walking the old table must find its chains as they were. A heap too full for the
     * copy leaves the old table in place: the write that asked for the resize has succeeded,
     * and a later one tries again.
     */
    private void resize(ThreadAccess a, int newLength) {
        Mutator m = a.mutator;
        long old = a.table, cursor = a.chain[0], tmp = a.chain[1];
        m.getRefInto(holder, TABLE, old);
        int oldLength = m.length(old);
        try (HandleScope s = m.openScope()) {
            long fresh = m.newRefArray(newLength);
            for (int b = 0; b < oldLength; b++) {
                if (!m.getRefElementInto(old, b, cursor)) continue;
                try (HandleScope perBucket = m.openScope()) {
                    do {
                        long e = m.allocate(layouts.entry);
                        m.getRefInto(cursor, KV, a.kv);
                        m.putRef(e, KV, a.kv);
                        int hash = m.getInt(cursor, HASH);
                        m.putInt(e, HASH, hash);
                        m.putInt(e, KEY_LENGTH, m.getInt(cursor, KEY_LENGTH));
                        m.putByte(e, REFERENCED, m.getByte(cursor, REFERENCED));
                        int nb = hash & (newLength - 1);
                        if (m.getRefElementInto(fresh, nb, tmp)) m.putRef(e, NEXT, tmp);
                        m.putRefElement(fresh, nb, e);
                    } while (m.getRefInto(cursor, NEXT, cursor));
                }
            }
            VarHandle.releaseFence();
            m.putRef(holder, TABLE, fresh);
            heapBytes = heapBytes + tableBytes(newLength) - tableBytes(tableLength);
            tableLength = newLength;
        } catch (HeapExhaustedException e) {
            // the old table stays; see above
        }
        a.found = a.previous = Handles.NULL; // the walk's handles now name other things
    }

    /**
     * CLOCK, for a bounded store: makes room for need more bytes by evicting entries whose
     * REFERENCED bit is clear, clearing set bits as the hand passes them (a second chance).
     * Sweeps each bucket at most twice. Returns the number of entries evicted.
     */
    boolean needsEviction(long need) { return budget != Long.MAX_VALUE && dataBytes + need > budget; }

    /** Moves the find() handles (a.found, a.previous, a.table) unless {@link #needsEviction} is false. */
    int evictFor(ThreadAccess a, long need) {
        if (!needsEviction(need)) return 0;
        Mutator m = a.mutator;
        m.getRefInto(holder, TABLE, a.table);
        long[] c = a.chain;
        int evicted = 0;
        for (int steps = 0; steps < 2 * tableLength && count > 0 && dataBytes + need > budget; steps++) {
            int b = hand;
            hand = (hand + 1) & (tableLength - 1);
            int prev = -1, cur = 0;
            if (!m.getRefElementInto(a.table, b, c[cur])) continue;
            for (;;) {
                int next = third(prev, cur);
                boolean more = m.getRefInto(c[cur], NEXT, c[next]);
                if (m.getByte(c[cur], REFERENCED) != 0) {
                    m.putByte(c[cur], REFERENCED, (byte) 0);
                    prev = cur;
                } else if (dataBytes + need > budget) {
                    m.getRefInto(c[cur], KV, a.kv);
                    long bytes = m.length(a.kv);
                    long successor = more ? c[next] : Handles.NULL;
                    if (prev < 0) m.putRefElement(a.table, b, successor);
                    else m.putRef(c[prev], NEXT, successor);
                    dataBytes = dataBytes - bytes;
                    heapBytes = heapBytes - entryBytes(bytes);
                    count = count - 1;
                    evicted++;
                    // prev stays: it now precedes next
                } else {
                    prev = cur;
                }
                if (!more) break;
                cur = next;
            }
        }
        return evicted;
    }

    /** Replaces the table with an empty one of the smallest size (lock held). */
    void clear(ThreadAccess a) {
        Mutator m = a.mutator;
        try (HandleScope s = m.openScope()) {
            long fresh = m.newRefArray(MIN_TABLE);
            VarHandle.releaseFence();
            m.putRef(holder, TABLE, fresh);
        }
        tableLength = MIN_TABLE;
        hand = 0;
        count = 0;
        dataBytes = 0;
        heapBytes = layouts.segment.sizeBytes() + tableBytes(MIN_TABLE);
    }
}
