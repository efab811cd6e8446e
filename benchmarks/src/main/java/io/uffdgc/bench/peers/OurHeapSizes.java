package io.uffdgc.bench.peers;

import io.uffdgc.bench.workload.ObjectMix;

/**
 * Bytes a shape of the object mix occupies in the uffdgc heap: an 8-byte header word,
 * 4-byte reference slots padded to a word, then the data padded to a word (arrays:
 * the elements padded to a word). The same arithmetic as the heap's RecordLayout and
 * ArrayLayout, restated here because the Java-heap child must not load the native
 * library those classes need.
 */
final class OurHeapSizes {
    private static final long WORD = 8, REF = 4;

    private OurHeapSizes() {}

    static long of(ObjectMix.Shape shape) {
        return switch (shape) {
            case ObjectMix.Record r -> WORD + words(r.refs() * REF) + words(r.dataBytes());
            case ObjectMix.RefArray a -> WORD + words(a.length() * REF);
            case ObjectMix.ByteArray b -> WORD + words(b.length());
        };
    }

    private static long words(long bytes) { return (bytes + WORD - 1) & -WORD; }
}
