package io.uffdgc.bench.workload;

import io.uffdgc.heap.Heap;
import io.uffdgc.heap.Mutator;
import io.uffdgc.heap.layout.RecordLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Builds a fragmented object graph in a heap, and checksums what is reachable.
 *
 * <p>Objects are allocated in the {@link ObjectMix}, each with a fate from the
 * {@link SurvivalPattern}. Survivors are wired so that exactly they are reachable:
 * survivor records form chains through reference slot 0 (a root handle starts a new
 * chain every {@link #CHAIN_LENGTH} records); surviving arrays hang from the other
 * slots of later survivor records; remaining slots and reference-array elements
 * point at recent survivors. Dead objects point anywhere but nothing points at them.
 * Data bytes are a deterministic function of the object's number, so a checksum
 * taken before a collection must equal one taken after it.
 *
 * <p>The first data word of every record is the workload's <em>mutable word</em>:
 * mutators write it during compaction, so checksums leave it out.
 */
public final class HeapGraph {
    static final int CHAIN_LENGTH = 64;
    static final int RECENT = 64;

    private final List<Long> recordRoots;
    private final List<Long> arrayRoots;
    private final long liveObjects;
    private final long allocatedBytes;

    private HeapGraph(List<Long> recordRoots, List<Long> arrayRoots, long liveObjects, long allocatedBytes) {
        this.recordRoots = recordRoots;
        this.arrayRoots = arrayRoots;
        this.liveObjects = liveObjects;
        this.allocatedBytes = allocatedBytes;
    }

    /** Root handles of the record chains (long-lived handles of the heap's root table). */
    public List<Long> recordRoots() { return recordRoots; }

    /** Root handles of surviving arrays that no later record took. */
    public List<Long> arrayRoots() { return arrayRoots; }

    public long liveObjects() { return liveObjects; }

    public long allocatedBytes() { return allocatedBytes; }

    /** The record layouts the mix draws from: one per (reference count, data size). */
    public static RecordLayout[][] defineLayouts(Heap heap) {
        RecordLayout[][] l = new RecordLayout[ObjectMix.MAX_RECORD_REFS + 1][ObjectMix.RECORD_DATA_BYTES.length];
        for (int r = 1; r <= ObjectMix.MAX_RECORD_REFS; r++)
            for (int d = 0; d < ObjectMix.RECORD_DATA_BYTES.length; d++)
                l[r][d] = heap.defineRecord("bench-r" + r + "-d" + ObjectMix.RECORD_DATA_BYTES[d], r,
                        ObjectMix.RECORD_DATA_BYTES[d]);
        return l;
    }

    /**
     * Allocates objects until about targetBytes have been allocated (live and dead),
     * keeping liveFraction of them reachable in the given pattern.
     */
    public static HeapGraph build(Mutator m, RecordLayout[][] layouts, ObjectMix mix, SurvivalPattern pattern,
                                  double liveFraction, long targetBytes, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        SurvivalPattern.Fates fates = pattern.fates(liveFraction, rnd.split());
        List<Long> roots = new ArrayList<>();
        long[] recent = new long[RECENT];   // duplicated handles of recent survivors, 0 = empty
        List<Long> pendingArrays = new ArrayList<>();
        long tail = 0;                      // last survivor record of the current chain (a handle)
        int chainLeft = 0;
        long allocated = 0, live = 0, number = 0;
        byte[] data = new byte[512];
        Heap heap = m.heap();
        while (allocated < targetBytes) {
            long before = heap.top();
            ObjectMix.Shape shape = mix.next(rnd);
            boolean survives = fates.next();
            long h = allocate(m, layouts, shape);
            allocated += Math.max(0, heap.top() - before);
            fill(m, h, shape, number++, data, recent, rnd);
            if (!survives) {
                m.release(h);
                continue;
            }
            live++;
            if (shape instanceof ObjectMix.Record rec) {
                for (int slot = 1; slot < rec.refs() && !pendingArrays.isEmpty(); slot++) {
                    long a = pendingArrays.removeLast();
                    m.putRef(h, slot, a);
                    m.release(a);
                }
                if (chainLeft == 0) {
                    if (tail != 0) m.release(tail);
                    roots.add(m.duplicate(h));
                    chainLeft = CHAIN_LENGTH;
                } else {
                    m.putRef(tail, 0, h);
                    m.release(tail);
                }
                tail = h;
                chainLeft--;
                remember(m, recent, rnd, h);
            } else {
                pendingArrays.add(h);
                if (shape instanceof ObjectMix.RefArray) remember(m, recent, rnd, h);
            }
        }
        if (tail != 0) m.release(tail);
        for (long r : recent) if (r != 0) m.release(r);
        return new HeapGraph(List.copyOf(roots), List.copyOf(pendingArrays), live, allocated);
    }

    /** Allocates one object of the shape (records from the layouts of {@link #defineLayouts}); returns its handle. */
    public static long allocate(Mutator m, RecordLayout[][] layouts, ObjectMix.Shape shape) {
        return switch (shape) {
            case ObjectMix.Record r -> m.allocate(layouts[r.refs()][dataIndex(r.dataBytes())]);
            case ObjectMix.RefArray a -> m.newRefArray(a.length());
            case ObjectMix.ByteArray b -> m.newByteArray(b.length());
        };
    }

    private static int dataIndex(int dataBytes) {
        for (int i = 0; i < ObjectMix.RECORD_DATA_BYTES.length; i++)
            if (ObjectMix.RECORD_DATA_BYTES[i] == dataBytes) return i;
        throw new IllegalArgumentException("no record layout with " + dataBytes + " data bytes");
    }

    /** Writes the object's deterministic data and points its references at recent survivors. */
    private static void fill(Mutator m, long h, ObjectMix.Shape shape, long number, byte[] data, long[] recent,
                             SplittableRandom rnd) {
        switch (shape) {
            case ObjectMix.Record r -> {
                pattern(data, r.dataBytes(), number);
                m.putBytes(h, 0, data, 0, r.dataBytes());
                for (int slot = 1; slot < r.refs(); slot++) {
                    long target = recent[rnd.nextInt(RECENT)];
                    if (target != 0) m.putRef(h, slot, target);
                }
            }
            case ObjectMix.RefArray a -> {
                for (int i = 0; i < a.length(); i++) {
                    long target = recent[rnd.nextInt(RECENT)];
                    if (target != 0) m.putRefElement(h, i, target);
                }
            }
            case ObjectMix.ByteArray b -> {
                pattern(data, b.length(), number);
                m.writeBytes(h, 0, data, 0, b.length());
            }
        }
    }

    private static void remember(Mutator m, long[] recent, SplittableRandom rnd, long h) {
        int i = rnd.nextInt(RECENT);
        if (recent[i] != 0) m.release(recent[i]);
        recent[i] = m.duplicate(h);
    }

    static void pattern(byte[] data, int len, long number) {
        long x = number * 0x9E3779B97F4A7C15L + 1;
        for (int i = 0; i < len; i++) {
            x ^= x << 13; x ^= x >>> 7; x ^= x << 17;
            data[i] = (byte) x;
        }
    }
}
