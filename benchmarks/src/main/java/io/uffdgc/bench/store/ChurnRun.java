package io.uffdgc.bench.store;

import io.uffdgc.bench.child.ProcStatus;
import io.uffdgc.bench.store.ycsb.RecordDB;
import io.uffdgc.bench.store.ycsb.Sizing;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.HdrHistogram.Histogram;

/**
 * The churn: a fixed number of keys kept live while one thread updates them to values of new
 * sizes, and deletes keys and inserts new ones in their place. Value sizes are log-uniform over
 * [{@value #MIN_VALUE}, {@value #MAX_VALUE}) bytes, so every put frees one size and asks for
 * another: the live bytes stay about constant while the free space fragments. Resident memory is the child's VmRSS less its
 * baseline (read before the store existed, the Java heap already touched; {@link StoreKind}),
 * sampled against the live key and value bytes as the operations go, then for
 * {@value #SETTLE_SECONDS} s of idleness after the last, the same for every store; the end
 * figures are the last sample's.
 */
final class ChurnRun {
    static final int MIN_VALUE = 64, MAX_VALUE = 16384;
    static final int SAMPLES = 100;
    static final double SETTLE_SECONDS = 1;
    private static final int KEY_BYTES = 16;

    private ChurnRun() {}

    /** The keys with a quarter to spare, values of the mean size (Chronicle Map sizes its entries by it). */
    static Sizing sizing(StoreBenchConfig c) {
        long entries = (long) (c.churnKeys() * 1.25) + 1024;
        return new Sizing(entries, KEY_BYTES, (int) meanValueBytes(), (long) (c.churnKeys() * (KEY_BYTES + 2 * meanValueBytes())));
    }

    /** The mean of the log-uniform value sizes. */
    static double meanValueBytes() { return (MAX_VALUE - MIN_VALUE) / Math.log((double) MAX_VALUE / MIN_VALUE); }

    /** A store's own count of what it holds, read at each sample (ours only). */
    interface StoreFigures {
        long residentBytes();

        long liveBytes();
    }

    /** One sample: operations done, seconds since the first, resident (over baseline), live, and the store's own figures or -1. */
    record Sample(long ops, double seconds, long residentBytes, long liveBytes, long storeResidentBytes, long storeLiveBytes) {
        double rssOverLive() { return liveBytes == 0 ? Double.NaN : (double) residentBytes / liveBytes; }
    }

    record Result(long ops, double seconds, Histogram put, long removes, List<Sample> samples, long baselineRssBytes,
                  long processRssEndBytes) {
        Sample end() { return samples.getLast(); }

        double rssOverLiveMax() { return samples.stream().mapToDouble(Sample::rssOverLive).max().orElse(Double.NaN); }
    }

    static Result run(RecordDB db, StoreBenchConfig c, long baselineRssBytes, StoreFigures figures) throws InterruptedException {
        SplittableRandom r = new SplittableRandom(c.seed());
        byte[] pool = new byte[(1 << 20) + MAX_VALUE];
        r.nextBytes(pool);
        int n = c.churnKeys();
        long[] ids = new long[n];
        int[] sizes = new int[n];
        long nextId = 0, live = 0;
        for (int i = 0; i < n; i++) {
            ids[i] = nextId++;
            sizes[i] = size(r);
            put(db, ids[i], sizes[i], pool, r);
            live += KEY_BYTES + sizes[i];
        }
        Histogram put = new Histogram(3);
        List<Sample> samples = new ArrayList<>();
        long every = Math.max(1, c.churnOps() / SAMPLES), removes = 0;
        long t0 = System.nanoTime();
        samples.add(sample(0, t0, baselineRssBytes, live, figures));
        for (long op = 0; op < c.churnOps(); op++) {
            int slot = r.nextInt(n), size = size(r);
            if (r.nextBoolean()) {
                if (!db.removeBytes(key(ids[slot]))) throw new IllegalStateException("live key " + ids[slot] + " was not found");
                removes++;
                ids[slot] = nextId++;
            }
            long p0 = System.nanoTime();
            put(db, ids[slot], size, pool, r);
            put.recordValue(System.nanoTime() - p0);
            live += size - sizes[slot];
            sizes[slot] = size;
            if ((op + 1) % every == 0) samples.add(sample(op + 1, t0, baselineRssBytes, live, figures));
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        for (int i = 0; i < SETTLE_SECONDS * 10; i++) {
            Thread.sleep(100);
            samples.add(sample(c.churnOps(), t0, baselineRssBytes, live, figures));
        }
        return new Result(c.churnOps(), seconds, put, removes, samples, baselineRssBytes, ProcStatus.read().vmRssKib() << 10);
    }

    private static int size(SplittableRandom r) {
        double lo = Math.log(MIN_VALUE), hi = Math.log(MAX_VALUE);
        return (int) Math.exp(lo + r.nextDouble() * (hi - lo));
    }

    /** "churn" and the id in 11 digits: every key is {@value #KEY_BYTES} bytes. */
    static byte[] key(long id) {
        byte[] k = KEY_TEMPLATE.clone();
        for (int i = KEY_BYTES - 1; id > 0; i--, id /= 10) k[i] = (byte) ('0' + id % 10);
        return k;
    }

    private static final byte[] KEY_TEMPLATE = "churn00000000000".getBytes(StandardCharsets.ISO_8859_1);

    private static void put(RecordDB db, long id, int size, byte[] pool, SplittableRandom r) {
        int off = r.nextInt(pool.length - size);
        if (!db.putBytes(key(id), Arrays.copyOfRange(pool, off, off + size)))
            throw new IllegalStateException("the store refused a put of " + size + " bytes (full)");
    }

    private static Sample sample(long ops, long t0, long baseline, long live, StoreFigures f) {
        long rss = ProcStatus.read().vmRssKib() << 10;
        return new Sample(ops, (System.nanoTime() - t0) / 1e9, rss - baseline, live,
                f == null ? -1 : f.residentBytes(), f == null ? -1 : f.liveBytes());
    }
}
