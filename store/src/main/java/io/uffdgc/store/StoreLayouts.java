package io.uffdgc.store;

import io.uffdgc.heap.Heap;
import io.uffdgc.heap.layout.RecordLayout;

/**
 * The two record layouts a store defines in its heap, with their fields. Everything else it
 * keeps there is a built-in array: a segment's bucket table (a ref array) and an entry's key
 * and value bytes (one byte array, key first).
 *
 * <pre>
 * entry record (32 bytes)                       segment record (16 bytes)
 *   +0  header                                    +0  header
 *   +8  ref  NEXT   next entry of the bucket      +8  ref  TABLE  the bucket table (ref[])
 *  +12  ref  KV     byte[] key ++ value
 *  +16  int  HASH   the key's hash (KeyHash)
 *  +20  int  KEY_LENGTH  bytes of key in KV; the value is the rest
 *  +24  byte REFERENCED  CLOCK bit: set by reads, cleared by the eviction hand
 * </pre>
 *
 * <p>Publication rule: a writer fills an entry completely (KV, HASH, KEY_LENGTH, NEXT),
 * then issues a release fence, then stores the entry's reference into the bucket slot or
 * the previous entry's NEXT. KV, HASH and KEY_LENGTH never change after that, nor do KV's
 * key bytes; its value bytes are written over only by a put of the same length, under the
 * segment's lock and inside its seqlock (Segment); NEXT changes only under the segment's
 * lock; REFERENCED is a hint written without a lock. A segment's
 * TABLE is replaced the same way, after the new table is complete.
 */
final class StoreLayouts {
    static final int NEXT = 0, KV = 1;
    static final int HASH = 0, KEY_LENGTH = 4, REFERENCED = 8;
    static final int TABLE = 0;

    final RecordLayout entry;
    final RecordLayout segment;

    StoreLayouts(Heap heap) {
        this.entry = heap.defineRecord("store.entry", 2, 9);
        this.segment = heap.defineRecord("store.segment", 1, 0);
    }
}
