package io.uffdgc.store;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/** Ready codecs for byte arrays, strings (UTF-8), longs and Agrona buffers. */
public final class Codecs {
    private Codecs() {}

    /** The bytes themselves; decode returns a new array. */
    public static final Codec<byte[]> BYTES = new Codec<>() {
        @Override public int encode(byte[] value, MutableDirectBuffer out) {
            out.putBytes(0, value);
            return value.length;
        }

        @Override public byte[] decode(DirectBuffer in, int length) {
            byte[] b = new byte[length];
            in.getBytes(0, b);
            return b;
        }

        @Override public String toString() { return "byte[]"; }
    };

    /** UTF-8. */
    public static final Codec<String> STRING = new Codec<>() {
        @Override public int encode(String value, MutableDirectBuffer out) {
            byte[] b = value.getBytes(StandardCharsets.UTF_8);
            out.putBytes(0, b);
            return b.length;
        }

        @Override public String decode(DirectBuffer in, int length) { return in.getStringWithoutLengthUtf8(0, length); }

        @Override public String toString() { return "String (UTF-8)"; }
    };

    /** Eight bytes, big-endian, so that the bytes of longs sort as the longs do (for non-negative ones). */
    public static final Codec<Long> LONG = new Codec<>() {
        @Override public int encode(Long value, MutableDirectBuffer out) {
            out.putLong(0, value, ByteOrder.BIG_ENDIAN);
            return Long.BYTES;
        }

        @Override public Long decode(DirectBuffer in, int length) {
            if (length != Long.BYTES) throw new IllegalArgumentException("a long is 8 bytes, not " + length);
            return in.getLong(0, ByteOrder.BIG_ENDIAN);
        }

        @Override public String toString() { return "long"; }
    };

    /**
     * An Agrona buffer's bytes [0, capacity); decode returns a new buffer over a new array.
     * Equality of two {@link DirectBuffer}s is by content, as Agrona defines it.
     */
    public static final Codec<DirectBuffer> DIRECT_BUFFER = new Codec<>() {
        @Override public int encode(DirectBuffer value, MutableDirectBuffer out) {
            out.putBytes(0, value, 0, value.capacity());
            return value.capacity();
        }

        @Override public DirectBuffer decode(DirectBuffer in, int length) {
            byte[] b = new byte[length];
            in.getBytes(0, b);
            return new UnsafeBuffer(b);
        }

        @Override public String toString() { return "DirectBuffer"; }
    };
}
