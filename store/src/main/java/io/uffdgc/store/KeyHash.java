package io.uffdgc.store;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The hash of a key's bytes: eight bytes at a time, each word multiplied and folded in, then
 * a finalizer (the murmur3 fmix64 constants) so that both the high bits (which pick the
 * segment) and the low bits (which pick the bucket) depend on every input byte.
 */
final class KeyHash {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long MULTIPLIER = 0x9E3779B97F4A7C15L;

    private KeyHash() {}

    static int hash(byte[] b, int off, int len) {
        long h = len * MULTIPLIER;
        int i = 0;
        for (; i + 8 <= len; i += 8) h = Long.rotateLeft(h ^ ((long) LONGS.get(b, off + i) * MULTIPLIER), 29) * 5 + 0x52dce729;
        long tail = 0;
        for (int s = 0; i < len; i++, s += 8) tail |= (b[off + i] & 0xFFL) << s;
        h ^= tail * MULTIPLIER;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return (int) h;
    }
}
