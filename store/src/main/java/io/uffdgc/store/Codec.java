package io.uffdgc.store;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Turns keys or values of type T into bytes and back, for {@link OffHeapMap}. The map compares
 * keys by their bytes, and conditional updates (replace(k, old, new), remove(k, v)) compare
 * values by their bytes: a codec must give equal objects equal bytes.
 *
 * <p>A codec runs on the calling thread before the store is touched (encode) or after it is
 * left (decode), so a codec that throws leaves the store as it was. {@link Codecs} holds
 * ready ones.
 */
public interface Codec<T> {
    /** Writes value's bytes into out from index 0 (out grows as needed); returns how many. */
    int encode(T value, MutableDirectBuffer out);

    /** The value whose bytes are in[0, length); in is valid only during the call. */
    T decode(DirectBuffer in, int length);
}
