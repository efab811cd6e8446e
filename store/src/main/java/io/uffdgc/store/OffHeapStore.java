package io.uffdgc.store;

import io.uffdgc.gc.Collector;
import io.uffdgc.gc.CycleStats;
import io.uffdgc.heap.Heap;
import io.uffdgc.heap.HeapConfig;
import io.uffdgc.heap.layout.ArrayLayout;
import io.uffdgc.uffd.Memory;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.Objects;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A concurrent key-value store of bytes over one managed heap and its collector: the index
 * and every entry live in the heap, so compaction moves them together and gives memory back
 * as entries go. Keys are at most {@link #MAX_KEY_BYTES}; values may be as large as the heap
 * holds (one byte array each, up to 2 GiB less the key).
 *
 * <p>Threads: any thread may call any method; the store attaches it to the heap on first use
 * and detaches it when the store closes (or after the thread has died). Between calls a
 * thread's mutator is parked in a blocking region, so an idle thread never delays a
 * collection.
 *
 * <p>Concurrency (see {@link Segment}): the index is split into segments, each with its own
 * bucket table and write lock; reads take no lock (unless a same-length write overlapped
 * their copy: then they read again under it), writes lock one segment. A segment grows
 * (and shrinks) its own table; no operation ever rehashes the whole store. Reads and writes
 * go on during a compaction window; a thread that touches a page not yet compacted waits for
 * the C fault service, never for Java.
 *
 * <p>Bound (optional, {@link OffHeapStoreBuilder#maxDataBytes}): each segment may hold its
 * share of the bound and evicts with CLOCK (second chance) when a write would pass it. CLOCK
 * because it costs a read one byte store at most (the entry's referenced bit, only when it is
 * clear) and no lock, where an LRU list needs a write and a lock per read; and segment-local
 * because the writer already holds that segment's lock, so eviction adds no lock and no
 * cross-segment traffic. It approximates LRU; a key that is never read is evicted first.
 *
 * <p>Bad input (null or oversized keys, an entry larger than the heap, a full heap, use after
 * close) is refused with an exception that says what was wrong, before anything changes.
 */
public final class OffHeapStore implements AutoCloseable {
    public static final int MAX_KEY_BYTES = 1 << 16;
    /** The longest key plus value a byte array holds (array lengths are ints). */
    static final long MAX_ENTRY_BYTES = Integer.MAX_VALUE - 8;
    private static final double LOAD = 0.75;

    private final String name;
    private final Heap heap;
    private final Collector collector;
    private final StoreLayouts layouts;
    private final Attachments threads;
    private final Segment[] segments;
    private final int segmentShift;
    private final long maxDataBytes;

    OffHeapStore(OffHeapStoreBuilder b) {
        this.name = b.name;
        this.maxDataBytes = b.maxDataBytes;
        int n = b.effectiveSegments();
        this.segmentShift = Integer.SIZE - Integer.numberOfTrailingZeros(n);
        long budget = b.maxDataBytes == Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(1, b.maxDataBytes / n);
        int tableLength = tableLengthFor(b.expectedEntries / n);
        HeapConfig hc = HeapConfig.defaults().withName(b.name).withCapacity(b.heapCapacity);
        this.heap = Heap.create(hc);
        StoreLayouts l;
        Attachments t = null;
        Collector c;
        Segment[] segs = new Segment[n];
        try {
            l = new StoreLayouts(heap);
            t = new Attachments(heap, l);
            ThreadAccess a = t.enter();
            try {
                a.run();
                try {
                    for (int i = 0; i < n; i++) segs[i] = new Segment(a, l, tableLength, budget);
                } finally {
                    a.park();
                }
            } finally {
                t.leave(a);
            }
            c = Collector.attach(heap, b.collector.withPolicy(b.effectivePolicy(this::reachableBytes)));
        } catch (RuntimeException e) {
            if (t != null) t.close();
            heap.close();
            throw e;
        }
        this.layouts = l;
        this.threads = t;
        this.segments = segs;
        this.collector = c;
    }

    public static OffHeapStoreBuilder builder() { return new OffHeapStoreBuilder(); }

    private static int tableLengthFor(long entries) {
        long want = (long) Math.ceil(entries / LOAD);
        int len = Segment.MIN_TABLE;
        while (len < want && len < (1 << 28)) len <<= 1;
        return len;
    }

    /** This store as a ConcurrentMap of K to V; closing either closes the store. */
    public <K, V> OffHeapMap<K, V> asMap(Codec<K> keys, Codec<V> values) { return new OffHeapMap<>(this, keys, values); }

    // ---------------------------------------------------------------- reads

    /** The value of key, as a new array, or null. */
    public byte[] get(byte[] key) {
        ThreadAccess a = threads.enter();
        try {
            int len = read(a, keyOf(a, key), a.valueIn, 0);
            if (len < 0) return null;
            byte[] v = new byte[len];
            a.valueIn.getBytes(0, v);
            return v;
        } finally {
            threads.leave(a);
        }
    }

    /**
     * Copies the value of key [keyOffset, keyOffset+keyLength) into dst from dstOffset and
     * returns its length, or -1 if the key is absent. An expandable dst grows to fit; another
     * too small for the value gets an IndexOutOfBoundsException. (On -1 or that exception dst
     * may still hold bytes of a first copy that a concurrent same-length write made the store
     * repeat; the store itself is unchanged.)
     */
    public int get(DirectBuffer key, int keyOffset, int keyLength, MutableDirectBuffer dst, int dstOffset) {
        Objects.requireNonNull(dst, "destination buffer");
        ThreadAccess a = threads.enter();
        try {
            return read(a, keyOf(a, key, keyOffset, keyLength), dst, dstOffset);
        } finally {
            threads.leave(a);
        }
    }

    /**
     * Copies the value of the key (key's remaining bytes) into dst at its position and advances
     * it; returns the value's length, or -1 if absent. If dst has fewer bytes remaining, the
     * length is returned negated minus 2 (so -2 - result is the size needed) and the position
     * does not move. (In those two cases dst's bytes past its position may still have been
     * written: by a first copy that a concurrent same-length write made the store repeat.)
     */
    public int get(ByteBuffer key, ByteBuffer dst) {
        Objects.requireNonNull(dst, "destination buffer");
        ThreadAccess a = threads.enter();
        try {
            KeyBytes k = keyOf(a, key);
            Segment s = segmentFor(k.hash);
            int len = s.readConsistent(a, () -> copyOut(a, s, k, dst), false);
            if (len >= 0) dst.position(dst.position() + len);
            return len;
        } finally {
            threads.leave(a);
        }
    }

    /** get(ByteBuffer)'s lookup and copy, running; dst's position is the caller's to move. */
    private static int copyOut(ThreadAccess a, Segment s, KeyBytes k, ByteBuffer dst) {
        if (!s.find(a, k)) return -1;
        s.touch(a);
        int len = a.foundValueLength;
        if (dst.remaining() < len) return -2 - len;
        a.mutator.readBytes(a.kv, k.length, MemorySegment.ofBuffer(dst), 0, len);
        return len;
    }

    public boolean containsKey(byte[] key) {
        ThreadAccess a = threads.enter();
        try {
            return contains(a, keyOf(a, key));
        } finally {
            threads.leave(a);
        }
    }

    public boolean containsKey(DirectBuffer key, int offset, int length) {
        ThreadAccess a = threads.enter();
        try {
            return contains(a, keyOf(a, key, offset, length));
        } finally {
            threads.leave(a);
        }
    }

    /** The lookup without the copy, inside enter/leave. */
    boolean contains(ThreadAccess a, KeyBytes k) {
        Segment s = segmentFor(k.hash);
        a.run();
        try {
            return s.find(a, k);
        } finally {
            a.park();
        }
    }

    /**
     * The lookup itself: copies the value into dst (growing an expandable one); -1 if absent.
     * Inside enter/leave. Lock-free; read again under the segment's lock if an in-place write
     * of the segment overlapped the copy (Segment's seqlock).
     */
    int read(ThreadAccess a, KeyBytes k, MutableDirectBuffer dst, int dstOffset) {
        if (dstOffset < 0) throw new IndexOutOfBoundsException("destination offset " + dstOffset + " is negative");
        Segment s = segmentFor(k.hash);
        return s.readConsistent(a, () -> copyOut(a, s, k, dst, dstOffset), false);
    }

    /** read's lookup and copy, running. */
    private static int copyOut(ThreadAccess a, Segment s, KeyBytes k, MutableDirectBuffer dst, int dstOffset) {
        if (!s.find(a, k)) return -1;
        s.touch(a);
        int len = a.foundValueLength;
        if ((long) dstOffset + len > dst.capacity()) {
            if (!dst.isExpandable())
                throw new IndexOutOfBoundsException("value of " + len + " bytes does not fit the destination from offset "
                        + dstOffset + " (capacity " + dst.capacity() + "); use an expandable buffer");
            dst.checkLimit(dstOffset + len);
        }
        a.mutator.readBytes(a.kv, k.length, DirectBuffers.segmentOf(dst), dstOffset, len);
        return len;
    }

    // ---------------------------------------------------------------- writes

    /** When a write applies. */
    enum When { ALWAYS, IF_ABSENT, IF_PRESENT, IF_EQUAL }

    public void put(byte[] key, byte[] value) {
        Objects.requireNonNull(value, "value");
        ThreadAccess a = threads.enter();
        try {
            update(a, keyOf(a, key), When.ALWAYS, null, 0, MemorySegment.ofArray(value), 0, value.length, false);
        } finally {
            threads.leave(a);
        }
    }

    public void put(DirectBuffer key, int keyOffset, int keyLength, DirectBuffer value, int valueOffset, int valueLength) {
        Objects.requireNonNull(value, "value");
        ThreadAccess a = threads.enter();
        try {
            KeyBytes k = keyOf(a, key, keyOffset, keyLength);
            checkRange("value", valueOffset, valueLength, value.capacity());
            update(a, k, When.ALWAYS, null, 0, DirectBuffers.segmentOf(value), valueOffset, valueLength, false);
        } finally {
            threads.leave(a);
        }
    }

    /** Puts key's remaining bytes to value's remaining bytes; neither buffer's position moves. */
    public void put(ByteBuffer key, ByteBuffer value) {
        Objects.requireNonNull(value, "value");
        ThreadAccess a = threads.enter();
        try {
            KeyBytes k = keyOf(a, key);
            update(a, k, When.ALWAYS, null, 0, MemorySegment.ofBuffer(value), 0, value.remaining(), false);
        } finally {
            threads.leave(a);
        }
    }

    /** Removes key; returns whether it was present. */
    public boolean remove(byte[] key) {
        ThreadAccess a = threads.enter();
        try {
            return update(a, keyOf(a, key), When.ALWAYS, null, 0, null, 0, 0, false) >= 0;
        } finally {
            threads.leave(a);
        }
    }

    public boolean remove(DirectBuffer key, int offset, int length) {
        ThreadAccess a = threads.enter();
        try {
            return update(a, keyOf(a, key, offset, length), When.ALWAYS, null, 0, null, 0, 0, false) >= 0;
        } finally {
            threads.leave(a);
        }
    }

    public boolean remove(ByteBuffer key) {
        ThreadAccess a = threads.enter();
        try {
            return update(a, keyOf(a, key), When.ALWAYS, null, 0, null, 0, 0, false) >= 0;
        } finally {
            threads.leave(a);
        }
    }

    /**
     * The one write path, inside enter/leave: under the key's segment lock, applies a put
     * (value non-null) or a remove (value null) if when holds; expected (for IF_EQUAL) is
     * compared with the present value's bytes. Returns the previous value's length, -1 if
     * the key was absent; with copyOld, the previous value is in a.valueIn. a.wrote says
     * whether anything changed. A full heap throws {@link StoreFullException}, store unchanged.
     */
    int update(ThreadAccess a, KeyBytes k, When when, ExpandableArrayBuffer expected, int expectedLength,
               MemorySegment value, long valueOffset, int valueLength, boolean copyOld) {
        if (value != null) checkEntry(k.length, valueLength);
        Segment s = segmentFor(k.hash);
        s.lock.lock(); // parked: a thread waiting here never holds up a safepoint
        try {
            a.run();
            try {
                boolean hit = s.find(a, k);
                // A same-length value is written in place: it needs no room, so it evicts nothing.
                if (value != null && !(hit && a.foundValueLength == valueLength) && s.needsEviction((long) k.length + valueLength)) {
                    s.evictFor(a, (long) k.length + valueLength);
                    hit = s.find(a, k);   // the hand moved the handles, and may have evicted this very key
                }
                int previous = hit ? a.foundValueLength : -1;
                if (hit && copyOld) copyValue(a, k.length, previous);
                boolean apply = switch (when) {
                    case ALWAYS -> true;
                    case IF_ABSENT -> !hit;
                    case IF_PRESENT -> hit;
                    case IF_EQUAL -> hit && valueEquals(a, k.length, expected, expectedLength);
                };
                a.wrote = false;
                if (apply && value != null) {
                    s.link(a, k, value, valueOffset, valueLength);
                    a.wrote = true;
                } else if (apply && hit) {
                    s.unlink(a, k.length);
                    a.wrote = true;
                }
                return previous;
            } finally {
                a.park();
            }
        } finally {
            s.lock.unlock();
        }
    }

    private static void copyValue(ThreadAccess a, int keyLength, int len) {
        a.valueIn.checkLimit(len);
        a.mutator.readBytes(a.kv, keyLength, DirectBuffers.segmentOf(a.valueIn), 0, len);
    }

    private static boolean valueEquals(ThreadAccess a, int keyLength, ExpandableArrayBuffer expected, int expectedLength) {
        if (a.foundValueLength != expectedLength) return false;
        copyValue(a, keyLength, expectedLength);
        return java.util.Arrays.equals(a.valueIn.byteArray(), 0, expectedLength, expected.byteArray(), 0, expectedLength);
    }

    /**
     * Replaces key's value with what update returns for it, atomically with respect to other
     * writers of the key. Returns true if the key is present afterwards.
     *
     * @throws IllegalArgumentException if update returns a length other than REMOVE, KEEP or one it wrote
     */
    public boolean compute(DirectBuffer key, int keyOffset, int keyLength, ValueUpdate update) {
        Objects.requireNonNull(update, "update function");
        ThreadAccess a = threads.enter();
        try {
            return compute(a, keyOf(a, key, keyOffset, keyLength), update);
        } finally {
            threads.leave(a);
        }
    }

    public boolean compute(byte[] key, ValueUpdate update) {
        Objects.requireNonNull(update, "update function");
        ThreadAccess a = threads.enter();
        try {
            return compute(a, keyOf(a, key), update);
        } finally {
            threads.leave(a);
        }
    }

    /**
     * compute, inside enter/leave: find and copy the present value out, park, run the function
     * (segment still locked, so the entry found stays the one to replace), run again, write.
     * The function may leave the present value in a.valueIn; it writes into a.valueOut.
     */
    boolean compute(ThreadAccess a, KeyBytes k, ValueUpdate update) {
        Segment s = segmentFor(k.hash);
        s.lock.lock();
        try {
            a.run();
            boolean hit;
            int current;
            try {
                hit = s.find(a, k);
                current = hit ? a.foundValueLength : -1;
                if (hit) copyValue(a, k.length, current);
            } finally {
                a.pause();
            }
            UnsafeBuffer view = null;
            if (hit) view = new UnsafeBuffer(a.valueIn.byteArray(), 0, current);
            ExpandableArrayBuffer out = a.valueOut;
            int result;
            a.inCallback = true;
            try {
                result = update.apply(view, Math.max(current, 0), out);
            } finally {
                a.inCallback = false;
            }
            if (result < ValueUpdate.KEEP || result > out.capacity())
                throw new IllegalArgumentException("compute function returned " + result + ": not REMOVE, KEEP or a length"
                        + " it wrote (the output buffer holds " + out.capacity() + " bytes)");
            if (result >= 0) checkEntry(k.length, result);
            a.run();
            try {
                if (result >= 0) {
                    if (s.needsEviction((long) k.length + result)) {
                        s.evictFor(a, (long) k.length + result);
                        s.find(a, k); // the hand moved the handles, and may have evicted this very key
                    }
                    s.link(a, k, DirectBuffers.segmentOf(out), 0, result);
                    return true;
                }
                if (result == ValueUpdate.REMOVE && hit) s.unlink(a, k.length);
                return result == ValueUpdate.KEEP && hit;
            } finally {
                a.park();
            }
        } finally {
            s.lock.unlock();
        }
    }

    /** Removes every entry, segment by segment (a concurrent writer may add to a segment already cleared). */
    public void clear() {
        ThreadAccess a = threads.enter();
        try {
            for (Segment s : segments) {
                s.lock.lock();
                try {
                    a.run();
                    try {
                        s.clear(a);
                    } finally {
                        a.park();
                    }
                } finally {
                    s.lock.unlock();
                }
            }
        } finally {
            threads.leave(a);
        }
    }

    // ---------------------------------------------------------------- whole-store views

    /** Keys present (a sum over segments, each exact; not a snapshot of the whole store). */
    public long size() {
        long n = 0;
        for (Segment s : segments) n += s.count();
        return n;
    }

    public boolean isEmpty() { return size() == 0; }

    /** What the store keeps reachable in its heap, by its own count (entries, arrays, tables); 0 until built. */
    long reachableBytes() {
        Segment[] segs = segments;
        if (segs == null) return 0;
        long n = 0;
        for (Segment s : segs) n += s.heapBytes();
        return n;
    }

    /**
     * Visits every entry, weakly consistent as ConcurrentHashMap's iterators are: each segment
     * is walked as its table was when the walk reached it, bucket by bucket, and the visitor
     * runs between buckets outside the heap, so it may use the store.
     */
    public void forEach(EntryVisitor visitor) {
        Objects.requireNonNull(visitor, "visitor");
        ThreadAccess a = threads.enter();
        try {
            SegmentWalk walk = new SegmentWalk(a);
            for (Segment s : segments) walk.visit(s, visitor);
        } finally {
            threads.leave(a);
        }
    }

    /** forEach over segment i alone (the map's iterator goes segment by segment). */
    void forEachIn(int i, EntryVisitor visitor) {
        ThreadAccess a = threads.enter();
        try {
            new SegmentWalk(a).visit(segments[i], visitor);
        } finally {
            threads.leave(a);
        }
    }

    public StoreStats stats() {
        long data = 0, repeated = 0;
        for (Segment s : segments) {
            data += s.dataBytes();
            repeated += s.readsRepeated.sum();
        }
        CycleStats last = collector.lastCycle().orElse(null);
        long resident = heap.isClosed() ? 0 : Memory.residentBytes(heap.base(), heap.capacity());
        return new StoreStats(size(), data, reachableBytes(), last == null ? -1 : last.memory().liveBytes(), heap.top(),
                resident, collector.cycles(), last == null ? 0 : last.timings().pauseNanos(), repeated);
    }

    /** The collector, to run a cycle now ({@code collector().collect()}) or to watch cycles. */
    public Collector collector() { return collector; }

    /** The heap, for verification ({@link io.uffdgc.heap.verify.HeapVerifier}) and figures; do not attach to it. */
    public Heap heap() { return heap; }

    public String name() { return name; }

    /** The bound on key and value bytes, Long.MAX_VALUE if none. */
    public long maxDataBytes() { return maxDataBytes; }

    int segmentCount() { return segments.length; }

    /** Refuses new calls, waits for those in progress, detaches every thread, closes collector and heap. Idempotent. */
    @Override
    public void close() {
        if (!threads.close()) return;
        try {
            collector.close();
        } finally {
            heap.close();
        }
    }

    public boolean isClosed() { return threads.isClosed(); }

    // ---------------------------------------------------------------- checks and plumbing

    Attachments threads() { return threads; }

    Segment segmentFor(int hash) { return segments[hash >>> segmentShift]; }

    KeyBytes keyOf(ThreadAccess a, byte[] key) {
        Objects.requireNonNull(key, "key");
        checkKeyLength(key.length);
        return a.key.of(key, 0, key.length);
    }

    /** A key some codec wrote into bytes[0, length) (the thread's own buffer: no copy). */
    KeyBytes keyOf(ThreadAccess a, byte[] bytes, int length) {
        checkKeyLength(length);
        return a.key.of(bytes, 0, length);
    }

    KeyBytes keyOf(ThreadAccess a, DirectBuffer key, int offset, int length) {
        Objects.requireNonNull(key, "key");
        checkRange("key", offset, length, key.capacity());
        checkKeyLength(length);
        return a.key.copyOf(key, offset, length);
    }

    KeyBytes keyOf(ThreadAccess a, ByteBuffer key) {
        Objects.requireNonNull(key, "key");
        checkKeyLength(key.remaining());
        return a.key.copyOf(key);
    }

    private static void checkKeyLength(int length) {
        if (length > MAX_KEY_BYTES)
            throw new IllegalArgumentException("key of " + length + " bytes is longer than the " + MAX_KEY_BYTES + " a key may have");
    }

    private static void checkRange(String what, int offset, int length, int capacity) {
        if (offset < 0 || length < 0 || (long) offset + length > capacity)
            throw new IndexOutOfBoundsException(what + " range [" + offset + ", " + ((long) offset + length)
                    + ") is outside the buffer's " + capacity + " bytes");
    }

    /** An entry of keyLength + valueLength bytes must fit a byte array, the heap, and this segment's share of the bound. */
    void checkEntry(int keyLength, long valueLength) {
        long bytes = keyLength + valueLength;
        if (bytes > MAX_ENTRY_BYTES)
            throw new IllegalArgumentException("an entry of " + bytes + " key and value bytes is larger than the "
                    + MAX_ENTRY_BYTES + " one byte array holds");
        long heapBytes = ArrayLayout.BYTE.sizeBytes(bytes) + layouts.entry.sizeBytes();
        if (heapBytes > heap.capacity() - Heap.START)
            throw new IllegalArgumentException("an entry of " + bytes + " key and value bytes (" + heapBytes
                    + " in the heap) cannot fit the heap's capacity of " + heap.capacity() + " bytes");
        long budget = segments[0].budget;
        if (bytes > budget)
            throw new IllegalArgumentException("an entry of " + bytes + " key and value bytes is larger than a segment's"
                    + " share (" + budget + " bytes) of the bound of " + maxDataBytes + " bytes; raise maxDataBytes");
    }

    @Override
    public String toString() { return "OffHeapStore '" + name + "' (" + size() + " entries, " + segments.length + " segments)"; }
}
