package io.uffdgc.store;

import static io.uffdgc.store.StoreLayouts.KEY_LENGTH;
import static io.uffdgc.store.StoreLayouts.KV;
import static io.uffdgc.store.StoreLayouts.NEXT;
import static io.uffdgc.store.StoreLayouts.TABLE;

import io.uffdgc.heap.HandleScope;
import io.uffdgc.heap.Mutator;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * forEach's walk over one segment: holds the segment's table as it was when the walk began
 * (a handle keeps it alive if a resize replaces it; a replaced table's chains never change
 * again, though its entries' value bytes may, by same-length writes: hence the seqlock check),
 * copies the entries of a run of buckets into a Java-side batch, parks, hands the batch to
 * the visitor, and goes on. The visitor runs outside the heap, so it may use the store; the
 * walk's own handles are not the ones the store's operations use.
 */
final class SegmentWalk {
    /** A batch ends after this many bytes, entries or buckets, so a running stretch stays short. */
    private static final int BATCH_BYTES = 64 << 10, BATCH_ENTRIES = 256, BATCH_BUCKETS = 4096;

    private final ThreadAccess a;
    private final ExpandableArrayBuffer batch = new ExpandableArrayBuffer(4096);
    private final UnsafeBuffer keyView = new UnsafeBuffer(0, 0), valueView = new UnsafeBuffer(0, 0);

    SegmentWalk(ThreadAccess a) { this.a = a; }

    /** Where the last copyBatch stopped: the first bucket of the next batch. */
    private int batchEnd;

    /**
     * Copies the entries of the buckets from b on into the batch (key length, value length,
     * key and value bytes each), until a batch bound; sets batchEnd; returns the entries copied.
     */
    private int copyBatch(long table, int length, int b, long cursor, long kv) {
        Mutator m = a.mutator;
        int entries = 0, bytes = 0, buckets = 0;
        for (; b < length && bytes < BATCH_BYTES && entries < BATCH_ENTRIES && buckets < BATCH_BUCKETS; b++, buckets++) {
            if (!m.getRefElementInto(table, b, cursor)) continue;
            do {
                m.getRefInto(cursor, KV, kv);
                int keyLength = m.getInt(cursor, KEY_LENGTH), total = m.length(kv);
                batch.checkLimit(bytes + 8 + total);
                batch.putInt(bytes, keyLength);
                batch.putInt(bytes + 4, total - keyLength);
                m.readBytes(kv, 0, batch.byteArray(), bytes + 8, total);
                bytes += 8 + total;
                entries++;
            } while (m.getRefInto(cursor, NEXT, cursor));
        }
        batchEnd = b;
        return entries;
    }

    void visit(Segment s, EntryVisitor visitor) {
        Mutator m = a.mutator;
        a.run();
        HandleScope scope = m.openScope();
        long table, cursor, kv;
        int length;
        try {
            table = m.getRef(s.holder, TABLE);
            cursor = m.duplicate(table);
            kv = m.duplicate(table);
            length = m.length(table);
        } catch (RuntimeException | Error e) {
            scope.close();
            a.park();
            throw e;
        }
        a.pause();
        try {
            for (int b = 0; b < length; b = batchEnd) {
                int from = b;
                int entries = s.readConsistent(a, () -> copyBatch(table, length, from, cursor, kv), true);
                for (int i = 0, at = 0; i < entries; i++) {
                    int keyLength = batch.getInt(at), valueLength = batch.getInt(at + 4);
                    keyView.wrap(batch.byteArray(), at + 8, keyLength);
                    valueView.wrap(batch.byteArray(), at + 8 + keyLength, valueLength);
                    visitor.accept(keyView, keyLength, valueView, valueLength);
                    at += 8 + keyLength + valueLength;
                }
            }
        } finally {
            a.run();
            try {
                scope.close();
            } finally {
                a.park();
            }
        }
    }
}
