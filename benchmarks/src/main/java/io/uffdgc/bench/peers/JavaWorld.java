package io.uffdgc.bench.peers;

import io.uffdgc.bench.workload.ObjectMix;
import io.uffdgc.bench.workload.SurvivalPattern;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The workload on the Java heap, built like {@link io.uffdgc.bench.workload.HeapGraph}
 * builds it off-heap: the same shapes and fates from the same seed, survivor records
 * chained through slot 0 (a root starts a chain every {@value #CHAIN_LENGTH} records),
 * surviving arrays hung from later survivors' other slots, remaining slots and
 * reference-array elements pointing at recent survivors.
 *
 * <p>The graph stops growing when the objects allocated would fill
 * {@link PeerWorkload#buildBytes()} of the uffdgc heap ({@link OurHeapSizes}), not of the
 * Java heap: every Java collector then gets the very same objects (ZGC has no
 * compressed references, so Java's own byte count would differ between collectors),
 * and as many as the uffdgc child builds, give or take its TLAB waste.
 */
final class JavaWorld implements Churn.World {
    static final int CHAIN_LENGTH = 64;
    static final int RECENT = 64;

    /** How many temporaries the per-thread ring keeps reachable before dropping them. */
    static final int TEMPORARY_RING = 64;

    private final JavaRecord[] roots;
    private final ObjectMix mix;
    private final int temporaries;
    final long allocatedObjects;
    final long liveObjects;
    /** Holds surviving arrays no record took, as HeapGraph's array roots do. */
    @SuppressWarnings("unused")
    private final Object[] arrayRoots;

    private JavaWorld(PeerWorkload w, JavaRecord[] roots, Object[] arrayRoots, long allocatedObjects, long liveObjects) {
        this.mix = w.mix();
        this.temporaries = w.temporaries();
        this.roots = roots;
        this.arrayRoots = arrayRoots;
        this.allocatedObjects = allocatedObjects;
        this.liveObjects = liveObjects;
    }

    static JavaWorld build(PeerWorkload w) {
        SplittableRandom rnd = new SplittableRandom(w.seed());
        SurvivalPattern.Fates fates = w.pattern().fates(w.live(), rnd.split());
        ObjectMix mix = w.mix();
        List<JavaRecord> roots = new ArrayList<>();
        List<Object> pendingArrays = new ArrayList<>();
        Object[] recent = new Object[RECENT];
        JavaRecord tail = null;
        int chainLeft = 0;
        long bytes = 0, allocated = 0, live = 0;
        while (bytes < w.buildBytes()) {
            ObjectMix.Shape shape = mix.next(rnd);
            boolean survives = fates.next();
            Object o = allocate(shape, allocated, recent, rnd);
            bytes += OurHeapSizes.of(shape);
            allocated++;
            if (!survives) continue;
            live++;
            if (o instanceof JavaRecord rec) {
                int refs = ((ObjectMix.Record) shape).refs();
                for (int slot = 1; slot < refs && !pendingArrays.isEmpty(); slot++) rec.setRef(slot, pendingArrays.removeLast());
                if (chainLeft == 0) {
                    roots.add(rec);
                    chainLeft = CHAIN_LENGTH;
                } else {
                    tail.next = rec;
                }
                tail = rec;
                chainLeft--;
                recent[rnd.nextInt(RECENT)] = rec;
            } else {
                pendingArrays.add(o);
                if (o instanceof Object[]) recent[rnd.nextInt(RECENT)] = o;
            }
        }
        return new JavaWorld(w, roots.toArray(JavaRecord[]::new), pendingArrays.toArray(), allocated, live);
    }

    private static Object allocate(ObjectMix.Shape shape, long number, Object[] recent, SplittableRandom rnd) {
        return switch (shape) {
            case ObjectMix.Record r -> {
                JavaRecord rec = JavaRecord.ofDataBytes(r.dataBytes());
                rec.fill(number * 0x9E3779B97F4A7C15L);
                for (int slot = 1; slot < r.refs(); slot++) rec.setRef(slot, recent[rnd.nextInt(RECENT)]);
                yield rec;
            }
            case ObjectMix.RefArray a -> {
                Object[] arr = new Object[a.length()];
                for (int i = 0; i < arr.length; i++) arr[i] = recent[rnd.nextInt(RECENT)];
                yield arr;
            }
            case ObjectMix.ByteArray b -> {
                byte[] arr = new byte[b.length()];
                for (int i = 0; i < arr.length; i++) arr[i] = (byte) (number + i * 31L);
                yield arr;
            }
        };
    }

    /** Thread t works on roots t, t+n, t+2n...: no two threads edit one chain, as in the off-heap world. */
    @Override
    public Churn.Ops open(int thread, int threads, SplittableRandom rnd) {
        return new JavaOps(mine(thread, threads), mix, temporaries, rnd);
    }

    private JavaRecord[] mine(int thread, int threads) {
        List<JavaRecord> l = new ArrayList<>();
        for (int i = thread; i < roots.length; i += threads) l.add(roots[i]);
        if (l.isEmpty()) throw new IllegalStateException("mutator " + thread + " got no chain: the graph is too small");
        return l.toArray(JavaRecord[]::new);
    }

    private static final class JavaOps implements Churn.Ops {
        final JavaRecord[] roots;
        final ObjectMix mix;
        final int temporaries;
        final SplittableRandom rnd;
        final Object[] ring = new Object[TEMPORARY_RING];
        int next;

        JavaOps(JavaRecord[] roots, ObjectMix mix, int temporaries, SplittableRandom rnd) {
            this.roots = roots;
            this.mix = mix;
            this.temporaries = temporaries;
            this.rnd = rnd;
        }

        /** A random root's chain, followed up to 15 links, as MutatorLoad walks it off-heap. */
        private JavaRecord walk() {
            JavaRecord cursor = roots[rnd.nextInt(roots.length)];
            for (int steps = rnd.nextInt(16); steps > 0 && cursor.next != null; steps--) cursor = cursor.next;
            return cursor;
        }

        @Override public long read() { return walk().d0; }

        @Override public void write() { walk().d0 = rnd.nextLong(); }

        @Override
        public void replace() {
            JavaRecord e = walk(), s = e.next;
            JavaRecord n = (s != null ? s : e).blank();
            n.fill(rnd.nextLong());
            if (s != null) {                  // else e ends its chain: the new record is garbage at once
                n.next = s.next;
                n.r1 = s.r1;
                n.r2 = s.r2;
                n.r3 = s.r3;
                e.next = n;
            }
            for (int i = 0; i < temporaries; i++) {
                ring[next] = temporary(mix.next(rnd), i);
                next = (next + 1) % TEMPORARY_RING;
            }
        }

        private static Object temporary(ObjectMix.Shape shape, long x) {
            return switch (shape) {
                case ObjectMix.Record r -> {
                    JavaRecord rec = JavaRecord.ofDataBytes(r.dataBytes());
                    rec.fill(x);
                    yield rec;
                }
                case ObjectMix.RefArray a -> new Object[a.length()];
                case ObjectMix.ByteArray b -> new byte[b.length()];
            };
        }

        @Override public void close() {}
    }
}
