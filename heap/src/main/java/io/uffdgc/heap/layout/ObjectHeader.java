package io.uffdgc.heap.layout;

import io.uffdgc.uffd.gen.Uffdgc;

/**
 * Encodes and decodes the header word every object starts with (layout fixed by
 * ugc_object.h: size in words, layout id, array tail padding, identity flag, magic).
 * All masks and shifts come from the generated constants, so Java and C cannot drift.
 */
public final class ObjectHeader {
    public static final long SIZE_MASK = Uffdgc.UGC_HDR_SIZE_MASK();
    public static final int LAYOUT_SHIFT = Uffdgc.UGC_HDR_LAYOUT_SHIFT();
    public static final long LAYOUT_MASK = Uffdgc.UGC_HDR_LAYOUT_MASK();
    public static final int PAD_SHIFT = Uffdgc.UGC_HDR_PAD_SHIFT();
    public static final long PAD_MASK = Uffdgc.UGC_HDR_PAD_MASK();
    public static final int IDENTITY_SHIFT = Uffdgc.UGC_HDR_IDENTITY_SHIFT();
    public static final int MAGIC_SHIFT = Uffdgc.UGC_HDR_MAGIC_SHIFT();
    public static final long MAGIC = Uffdgc.UGC_HDR_MAGIC();
    public static final int WORD_BYTES = Uffdgc.UGC_WORD_BYTES();

    private ObjectHeader() {}

    /** The header of an object of sizeWords words (header included) with the given layout and tail padding. */
    public static long encode(long sizeWords, int layoutId, int padBytes) {
        return encode(sizeWords, layoutId, padBytes, false);
    }

    /** As {@link #encode(long, int, int)}; with identity, sizeWords includes the identity word at the end. */
    public static long encode(long sizeWords, int layoutId, int padBytes, boolean identity) {
        return (MAGIC << MAGIC_SHIFT)
                | ((identity ? 1L : 0L) << IDENTITY_SHIFT)
                | ((padBytes & PAD_MASK) << PAD_SHIFT)
                | ((layoutId & LAYOUT_MASK) << LAYOUT_SHIFT)
                | (sizeWords & SIZE_MASK);
    }

    /** The header of a filler object covering bytes (a positive multiple of 8) of dead space. */
    public static long filler(long bytes) {
        return encode(bytes / WORD_BYTES, Uffdgc.UGC_LAYOUT_FILLER(), 0);
    }

    public static long sizeWords(long header) { return header & SIZE_MASK; }

    public static int layoutId(long header) { return (int) ((header >>> LAYOUT_SHIFT) & LAYOUT_MASK); }

    public static int padBytes(long header) { return (int) ((header >>> PAD_SHIFT) & PAD_MASK); }

    /** True if the object ends with an identity word. */
    public static boolean hasIdentity(long header) { return ((header >>> IDENTITY_SHIFT) & 1) != 0; }

    /** Words after the header that are not payload: the identity word, if any. */
    public static int identityWords(long header) { return (int) ((header >>> IDENTITY_SHIFT) & 1); }

    /** Bytes between the header word and the tail padding (and identity word): an array's elements. */
    public static long payloadBytes(long header) {
        return (sizeWords(header) - 1 - identityWords(header)) * WORD_BYTES - padBytes(header);
    }

    public static boolean hasMagic(long header) { return (header >>> MAGIC_SHIFT) == MAGIC; }

    public static long roundUpToWord(long bytes) { return (bytes + WORD_BYTES - 1) & -WORD_BYTES; }

    /** Human-readable form for error messages. */
    public static String describe(long header) {
        return String.format("header 0x%016x (magic 0x%02x, identity %d, pad %d, layout %d, %d words)",
                header, header >>> MAGIC_SHIFT, identityWords(header), padBytes(header), layoutId(header),
                sizeWords(header));
    }
}
