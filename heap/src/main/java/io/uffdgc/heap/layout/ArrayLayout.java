package io.uffdgc.heap.layout;

import io.uffdgc.uffd.gen.Uffdgc;

/**
 * The array layouts every heap has, at the ids ugc_object.h fixes. An array is a header
 * followed by its elements, padded to a word; its length follows from the size and the
 * tail padding in the header.
 */
public enum ArrayLayout implements Layout {
    REF(Uffdgc.UGC_LAYOUT_REF_ARRAY(), Uffdgc.UGC_KIND_REF_ARRAY(), Uffdgc.UGC_REF_BYTES()),
    BYTE(Uffdgc.UGC_LAYOUT_BYTE_ARRAY(), Uffdgc.UGC_KIND_PRIM_ARRAY(), 1),
    INT(Uffdgc.UGC_LAYOUT_INT_ARRAY(), Uffdgc.UGC_KIND_PRIM_ARRAY(), 4),
    LONG(Uffdgc.UGC_LAYOUT_LONG_ARRAY(), Uffdgc.UGC_KIND_PRIM_ARRAY(), 8),
    DOUBLE(Uffdgc.UGC_LAYOUT_DOUBLE_ARRAY(), Uffdgc.UGC_KIND_PRIM_ARRAY(), 8),
    CHAR(Uffdgc.UGC_LAYOUT_CHAR_ARRAY(), Uffdgc.UGC_KIND_PRIM_ARRAY(), 2),
    SHORT(Uffdgc.UGC_LAYOUT_SHORT_ARRAY(), Uffdgc.UGC_KIND_PRIM_ARRAY(), 2),
    FLOAT(Uffdgc.UGC_LAYOUT_FLOAT_ARRAY(), Uffdgc.UGC_KIND_PRIM_ARRAY(), 4);

    private final int id;
    private final int kind;
    private final int elemBytes;
    private final int shift;

    ArrayLayout(int id, int kind, int elemBytes) {
        this.id = id;
        this.kind = kind;
        this.elemBytes = elemBytes;
        this.shift = Integer.numberOfTrailingZeros(elemBytes);
    }

    @Override public int id() { return id; }

    @Override public int kind() { return kind; }

    public int elemBytes() { return elemBytes; }

    /** log2 of the element size: index << shift is the byte offset of an element. */
    public int shift() { return shift; }

    /** Bytes an array of this layout and length occupies, header and tail padding included. */
    public long sizeBytes(long length) {
        return ObjectHeader.WORD_BYTES + ObjectHeader.roundUpToWord(length << shift);
    }

    /** Unused bytes at the end of the last word, as stored in the header. */
    public int padBytes(long length) {
        long payload = length << shift;
        return (int) (ObjectHeader.roundUpToWord(payload) - payload);
    }

    /** The array length a header of this layout describes. */
    public long length(long header) {
        return ObjectHeader.payloadBytes(header) >>> shift;
    }

    @Override
    public String toString() { return name().toLowerCase() + "[]"; }
}
