package io.uffdgc.bench.store.ycsb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import org.caffinitas.ohc.CacheSerializer;
import org.caffinitas.ohc.Eviction;
import org.caffinitas.ohc.OHCache;
import org.caffinitas.ohc.OHCacheBuilder;

/**
 * The binding for OHC (its default linked implementation, one malloc per entry), used as a
 * map: no eviction, and a capacity of four times the data so it never refuses a put.
 */
public final class OhcDB extends RecordDB {
    private final OHCache<byte[], byte[]> cache;

    public OhcDB(Sizing s) {
        cache = OHCacheBuilder.<byte[], byte[]>newBuilder().keySerializer(BYTES).valueSerializer(BYTES)
                .capacity(s.generousCapacity()).eviction(Eviction.NONE).build();
    }

    @Override
    public byte[] getBytes(byte[] key) { return cache.get(key); }

    @Override
    public boolean putBytes(byte[] key, byte[] value) { return cache.put(key, value); }

    @Override
    public boolean removeBytes(byte[] key) { return cache.remove(key); }

    @Override
    public void close() {
        try {
            cache.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A byte array as its length and its bytes (OHC ships no serializer for byte[]). */
    private static final CacheSerializer<byte[]> BYTES = new CacheSerializer<>() {
        @Override public void serialize(byte[] v, ByteBuffer buf) { buf.putInt(v.length).put(v); }

        @Override public byte[] deserialize(ByteBuffer buf) {
            byte[] v = new byte[buf.getInt()];
            buf.get(v);
            return v;
        }

        @Override public int serializedSize(byte[] v) { return 4 + v.length; }
    };
}
