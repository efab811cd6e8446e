package io.uffdgc.heap.layout;

import io.uffdgc.uffd.gen.Uffdgc;

/**
 * A fixed-size object: a header, nrefs reference slots (4 bytes each, starting at byte 8),
 * padding to a word, then dataBytes of raw data at dataOffset. Created by
 * {@code Heap.defineRecord}; only valid for the heap that defined it.
 */
public record RecordLayout(int id, String name, int nrefs, int dataBytes, int dataOffset, int sizeWords)
        implements Layout {

    @Override
    public int kind() { return Uffdgc.UGC_KIND_RECORD(); }

    /** Whole object size in bytes, header included. */
    public long sizeBytes() { return (long) sizeWords * ObjectHeader.WORD_BYTES; }
}
