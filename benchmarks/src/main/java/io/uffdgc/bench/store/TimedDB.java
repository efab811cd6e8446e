package io.uffdgc.bench.store;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.Vector;
import org.HdrHistogram.Histogram;
import site.ycsb.ByteIterator;
import site.ycsb.DB;
import site.ycsb.Status;

/**
 * One client thread's view of a binding: times every call in nanoseconds into HdrHistograms
 * by operation (YCSB's own DBWrapper does this in whole microseconds, too coarse for a map in
 * memory), splits reads by whether they met a collection ({@link CollectionWatch}, ours only),
 * and counts the calls that did not return OK. YCSB's closed loop: each thread issues the next
 * operation when the last returns, with no target rate.
 */
final class TimedDB extends DB {
    final Histogram read = histogram(), update = histogram(), insert = histogram();
    final Histogram readDuringCollection = histogram(), readOutsideCollection = histogram();
    long failed;
    private final DB db;
    private final CollectionWatch watch;

    TimedDB(DB db, CollectionWatch watch) {
        this.db = db;
        this.watch = watch;
    }

    static Histogram histogram() { return new Histogram(3); }

    @Override
    public Status read(String table, String key, Set<String> fields, Map<String, ByteIterator> result) {
        long before = watch == null ? 0 : watch.state();
        long t0 = System.nanoTime();
        Status s = db.read(table, key, fields, result);
        long ns = System.nanoTime() - t0;
        read.recordValue(ns);
        if (watch != null) (watch.met(before) ? readDuringCollection : readOutsideCollection).recordValue(ns);
        return counted(s);
    }

    @Override
    public Status update(String table, String key, Map<String, ByteIterator> values) {
        long t0 = System.nanoTime();
        Status s = db.update(table, key, values);
        update.recordValue(System.nanoTime() - t0);
        return counted(s);
    }

    @Override
    public Status insert(String table, String key, Map<String, ByteIterator> values) {
        long t0 = System.nanoTime();
        Status s = db.insert(table, key, values);
        insert.recordValue(System.nanoTime() - t0);
        return counted(s);
    }

    @Override
    public Status delete(String table, String key) { return counted(db.delete(table, key)); }

    @Override
    public Status scan(String table, String startkey, int recordcount, Set<String> fields,
                       Vector<HashMap<String, ByteIterator>> result) {
        return counted(db.scan(table, startkey, recordcount, fields, result));
    }

    private Status counted(Status s) {
        if (!s.isOk()) failed++;
        return s;
    }
}
