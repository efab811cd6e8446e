package io.uffdgc.bench.store;

import io.uffdgc.bench.store.ycsb.RecordDB;
import io.uffdgc.bench.store.ycsb.Sizing;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;
import site.ycsb.Client;
import site.ycsb.WorkloadException;
import site.ycsb.measurements.Measurements;
import site.ycsb.workloads.CoreWorkload;

/**
 * YCSB against one store, driven by YCSB's own CoreWorkload (key choice, request distribution,
 * field values): the load phase inserts the records, then each workload runs its operations on
 * what the earlier ones left (YCSB's recommended order runs D, which inserts, last). The client
 * threads share one CoreWorkload per phase, as YCSB's Client does, and each runs its share of the
 * operations in a closed loop ({@link TimedDB}).
 */
final class YcsbRun {
    static final int FIELD_COUNT = 10, FIELD_LENGTH = 100;
    /** The name suffix of a workload run again while collections are requested periodically. */
    static final String GC_SUFFIX = "+gc";
    /** "user" and up to 19 digits of YCSB's hashed key number. */
    static final int KEY_BYTES = 23;
    /** A record as {@link io.uffdgc.bench.store.ycsb.RecordBytes} stores it: name ("fieldN") and value, each with its length. */
    static final int RECORD_BYTES = FIELD_COUNT * (2 + 6 + 4 + FIELD_LENGTH);

    private YcsbRun() {}

    /** Every store is told the same: the records plus D's inserts, with a quarter to spare. */
    static Sizing sizing(StoreBenchConfig c) {
        long entries = (long) ((c.records() + 0.05 * c.operations()) * 1.25) + 1024;
        return new Sizing(entries, KEY_BYTES, RECORD_BYTES, entries * (KEY_BYTES + RECORD_BYTES));
    }

    /** One phase's figures. */
    record Phase(String workload, long ops, double seconds, Histogram read, Histogram update, Histogram insert,
                 Histogram readDuringCollection, Histogram readOutsideCollection, long failed, long collections) {
        Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("workload", workload);
            m.put("ops", ops);
            m.put("seconds", seconds);
            m.put("ops_per_s", ops / seconds);
            m.put("read_us", Latencies.of(read));
            m.put("update_us", Latencies.of(update));
            m.put("insert_us", Latencies.of(insert));
            m.put("read_us_during_collection", Latencies.of(readDuringCollection));
            m.put("read_us_outside_collection", Latencies.of(readOutsideCollection));
            m.put("failed_ops", failed);
            m.put("collections", collections);
            return m;
        }
    }

    /**
     * Load, then every workload of c; watch, cycles and collect are ours only (null, a zero and
     * null otherwise). With collect and a collection period, each workload but D then runs again
     * as "W+gc" while a thread calls collect at that period.
     */
    static List<Phase> run(RecordDB db, StoreBenchConfig c, CollectionWatch watch, LongSupplier cycles, Runnable collect)
            throws WorkloadException, InterruptedException {
        Properties base = new Properties();
        base.setProperty(Client.RECORD_COUNT_PROPERTY, Long.toString(c.records()));
        base.setProperty(Client.OPERATION_COUNT_PROPERTY, Long.toString(c.operations()));
        base.setProperty(CoreWorkload.FIELD_COUNT_PROPERTY, Integer.toString(FIELD_COUNT));
        base.setProperty(CoreWorkload.FIELD_LENGTH_PROPERTY, Integer.toString(FIELD_LENGTH));
        // CoreWorkload measures read-modify-write itself into YCSB's Measurements, which need their properties first.
        Measurements.setProperties(base);
        List<Phase> phases = new ArrayList<>();
        phases.add(drive("load", workload(base, "a"), c.records(), c.threads(), true, db, watch, cycles));
        for (String w : c.workloads())
            phases.add(drive(w.toUpperCase(), workload(base, w), c.operations(), c.threads(), false, db, watch, cycles));
        if (collect != null && c.collectEveryMillis() > 0) {
            for (String w : c.workloads()) {
                if (w.equalsIgnoreCase("d")) continue;   // its inserts would change the data the others ran on
                try (PeriodicCollections _ = new PeriodicCollections(collect, c.collectEveryMillis())) {
                    phases.add(drive(w.toUpperCase() + GC_SUFFIX, workload(base, w), c.operations(), c.threads(), false,
                            db, watch, cycles));
                }
            }
        }
        return phases;
    }

    private static CoreWorkload workload(Properties base, String name) throws WorkloadException {
        Properties p = new Properties();
        p.putAll(base);
        p.putAll(YcsbWorkloads.properties(name));
        CoreWorkload w = new CoreWorkload();
        w.init(p);
        return w;
    }

    private static Phase drive(String name, CoreWorkload w, long ops, int threads, boolean load, RecordDB db,
                               CollectionWatch watch, LongSupplier cycles) throws InterruptedException {
        TimedDB[] dbs = new TimedDB[threads];
        Thread[] ts = new Thread[threads];
        Throwable[] failures = new Throwable[threads];
        CountDownLatch ready = new CountDownLatch(threads), go = new CountDownLatch(1);
        for (int i = 0; i < threads; i++) {
            int id = i;
            long n = ops / threads + (i < ops % threads ? 1 : 0);
            dbs[i] = new TimedDB(db, watch);
            ts[i] = Thread.ofPlatform().name("ycsb-" + name + "-" + i).start(() -> {
                try {
                    Object state = w.initThread(new Properties(), id, threads);
                    ready.countDown();
                    go.await();
                    for (long j = 0; j < n; j++) {
                        boolean ok = load ? w.doInsert(dbs[id], state) : w.doTransaction(dbs[id], state);
                        if (!ok && !load) throw new IllegalStateException("CoreWorkload chose no operation");
                    }
                } catch (Throwable t) {
                    failures[id] = t;
                    ready.countDown();
                }
            });
        }
        ready.await();
        long c0 = cycles.getAsLong();
        long t0 = System.nanoTime();
        go.countDown();
        for (Thread t : ts) t.join();
        double seconds = (System.nanoTime() - t0) / 1e9;
        long collections = cycles.getAsLong() - c0;
        for (Throwable f : failures)
            if (f != null) throw new IllegalStateException("YCSB " + name + " client thread failed: " + f, f);
        Histogram read = TimedDB.histogram(), update = TimedDB.histogram(), insert = TimedDB.histogram(),
                during = TimedDB.histogram(), outside = TimedDB.histogram();
        long failed = 0;
        for (TimedDB d : dbs) {
            read.add(d.read);
            update.add(d.update);
            insert.add(d.insert);
            during.add(d.readDuringCollection);
            outside.add(d.readOutsideCollection);
            failed += d.failed;
        }
        return new Phase(name, ops, seconds, read, update, insert, during, outside, failed, collections);
    }

    /**
     * A thread that calls collect every period until closed; the closing thread waits for the
     * collection under way (never interrupted: a cycle keeps an interrupt aside) and a collection
     * that failed fails the phase. One collection runs to its end first, before the phase starts:
     * a child's first cycle is cold (its classes loaded, its code interpreted) and took longer to
     * reach marking than a short phase lasted (the test's 10,000 operations, ~50 ms: no read met
     * a collection, once in about ten runs of the suite).
     */
    private static final class PeriodicCollections implements AutoCloseable {
        private final Thread thread;
        private final CountDownLatch stop = new CountDownLatch(1);
        private volatile Throwable failure;

        PeriodicCollections(Runnable collect, long periodMillis) {
            collect.run(); // warm, outside the phase
            thread = Thread.ofPlatform().name("ycsb-collections").start(() -> {
                try {
                    while (!stop.await(periodMillis, TimeUnit.MILLISECONDS)) collect.run();
                } catch (Throwable t) {
                    failure = t;
                }
            });
        }

        @Override
        public void close() throws InterruptedException {
            stop.countDown();
            thread.join();
            if (failure != null) throw new IllegalStateException("a periodic collection failed: " + failure, failure);
        }
    }
}
