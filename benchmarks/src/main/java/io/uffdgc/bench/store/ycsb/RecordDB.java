package io.uffdgc.bench.store.ycsb;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.Vector;
import site.ycsb.ByteIterator;
import site.ycsb.DB;
import site.ycsb.Status;

/**
 * A YCSB binding for a store of byte arrays: a record is one value ({@link RecordBytes}) under
 * its key's bytes; an update reads the record, replaces the fields it names and writes it back,
 * as YCSB's RocksDB binding does (not atomic; YCSB does not ask for it). Subclasses bind one
 * store at the bytes level, which the churn benchmark uses directly.
 *
 * <p>One instance serves every client thread: the stores are thread-safe and the bindings hold
 * no per-thread state. Scans are not offered: none of these stores is ordered (workload E is
 * not run).
 */
public abstract class RecordDB extends DB implements AutoCloseable {
    /** The value under key, or null. */
    public abstract byte[] getBytes(byte[] key);

    /** Puts key to value; false if the store refused it (full). */
    public abstract boolean putBytes(byte[] key, byte[] value);

    /** Removes key; whether it was present. */
    public abstract boolean removeBytes(byte[] key);

    @Override
    public abstract void close();

    @Override
    public Status read(String table, String key, Set<String> fields, Map<String, ByteIterator> result) {
        byte[] v = getBytes(RecordBytes.key(key));
        if (v == null) return Status.NOT_FOUND;
        RecordBytes.decode(v, fields, result);
        return Status.OK;
    }

    @Override
    public Status scan(String table, String startkey, int recordcount, Set<String> fields,
                       Vector<HashMap<String, ByteIterator>> result) {
        return Status.NOT_IMPLEMENTED;
    }

    @Override
    public Status update(String table, String key, Map<String, ByteIterator> values) {
        byte[] k = RecordBytes.key(key);
        byte[] v = getBytes(k);
        if (v == null) return Status.NOT_FOUND;
        return putBytes(k, RecordBytes.merge(v, values)) ? Status.OK : Status.ERROR;
    }

    @Override
    public Status insert(String table, String key, Map<String, ByteIterator> values) {
        return putBytes(RecordBytes.key(key), RecordBytes.encode(values)) ? Status.OK : Status.ERROR;
    }

    @Override
    public Status delete(String table, String key) {
        return removeBytes(RecordBytes.key(key)) ? Status.OK : Status.NOT_FOUND;
    }
}
