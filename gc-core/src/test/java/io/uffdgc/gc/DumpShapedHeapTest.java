package io.uffdgc.gc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.uffdgc.heap.GraphBuilder;
import io.uffdgc.heap.Heap;
import io.uffdgc.heap.HeapConfig;
import io.uffdgc.heap.Mutator;
import io.uffdgc.heap.layout.ArrayLayout;
import io.uffdgc.heap.layout.RecordLayout;
import io.uffdgc.heap.verify.HeapChecksum;
import io.uffdgc.heap.verify.HeapVerifier;
import io.uffdgc.heap.verify.VerificationResult;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A heap shaped like a replayed JVM dump, collected in each mode: more than 2^16 layouts
 * (objects whose layout ids need the header's wider field), one name for many layouts,
 * char/short/float arrays filled in bulk, and a graph with forward references built through
 * a {@link GraphBuilder} that is compacted while only the builder's index holds it, and a third of
 * the objects (records, short and reference arrays) with identities that must not change.
 */
class DumpShapedHeapTest {
    private static final int LAYOUTS = 70_000, N = 12_000, REFS = 2;

    @ParameterizedTest
    @EnumSource(value = Mode.class, names = {"STW", "COPY", "MOVE"})
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void compactsAndKeepsEverything(Mode mode) {
        UffdAssumptions.assumeMode(mode);
        try (Heap heap = Heap.create(HeapConfig.defaults().withName("dump-shaped-" + mode).withCapacity(64L << 20)
                     .withMaxHandles(256));
             Collector collector = Collector.attach(heap, CollectorModesTest.manual())) {
            RecordLayout[] layouts = new RecordLayout[LAYOUTS];
            for (int i = 0; i < LAYOUTS; i++) layouts[i] = heap.defineRecord("cls", REFS, 8);
            assertTrue(layouts[LAYOUTS - 1].id() > 0xFFFF, "the last layouts need more than 16 id bits");
            int[][] edges = new int[N][];
            try (Mutator m = heap.attach()) {
                long root;
                try (GraphBuilder b = new GraphBuilder(m, N)) {
                    for (int i = 0; i < N; i++) {
                        long h = allocate(m, layouts, i);
                        b.add(h);
                        m.release(h);
                        long garbage = m.newCharArray(1 + i % 50); // the dump's garbage, between live objects
                        m.release(garbage);
                    }
                    // The index alone keeps the graph: compact it before one reference is wired.
                    long[] ids = identities(m, b);
                    collector.collect(mode);
                    HeapVerifier.verify(heap);
                    assertArrayEquals(ids, identities(m, b), "identities survive compaction");
                    for (int i = 0; i < N; i++) {
                        edges[i] = kind(i) == 3 ? new int[] {(i * 7 + 3) % N, (i + 1) % N, i / 2}
                                : kind(i) == 0 ? new int[] {(i * 13 + 5) % N, (i + N / 2) % N} : new int[0];
                        for (int k = 0; k < edges[i].length; k++) {
                            if (kind(i) == 3) b.putRefElement(i, k, edges[i][k]);
                            else b.putRef(i, k, edges[i][k]);
                        }
                    }
                    root = b.handle(0);
                }
                long reachable = reachableFrom0(edges);
                HeapChecksum before = HeapChecksum.of(heap);
                assertEquals(reachable, before.objects());
                CycleStats s = collector.collect(mode);
                VerificationResult v = HeapVerifier.verify(heap);
                assertEquals(before, HeapChecksum.of(heap), "the graph and its data survive compaction");
                assertEquals(reachable, v.reachableObjects());
                assertEquals(v.reachableObjects(), v.objects(), "garbage and the builder's index are gone");
                assertTrue(s.memory().freedBytes() > 0);
                m.release(root);
            }
        }
    }

    /** The identity of each object of b that has one (0 for the others). */
    private static long[] identities(Mutator m, GraphBuilder b) {
        long[] ids = new long[b.size()];
        long t = b.handle(0);
        for (int i = 0; i < ids.length; i++) {
            b.at(i, t);
            ids[i] = m.hasIdentity(t) ? m.identity(t) : 0;
        }
        m.release(t);
        return ids;
    }

    /** 0: a record of a high layout id with char/short/float fields; 1-2: char/short/float arrays; 3: a ref array. */
    private static int kind(int i) { return i % 4; }

    private static long allocate(Mutator m, RecordLayout[] layouts, int i) {
        switch (kind(i)) {
            case 0 -> {
                RecordLayout l = layouts[LAYOUTS - 1 - (i % 1000)];
                long h = i % 3 == 0 ? m.allocateWithIdentity(l) : m.allocate(l);
                m.putChar(h, 0, (char) i);
                m.putShort(h, 2, (short) -i);
                m.putFloat(h, 4, i / 8f);
                return h;
            }
            case 1 -> {
                long h = i % 3 == 0 ? m.allocateArrayWithIdentity(ArrayLayout.SHORT, i % 9) : m.newShortArray(i % 9);
                short[] v = new short[i % 9];
                for (int k = 0; k < v.length; k++) v[k] = (short) (i + k);
                m.writeShorts(h, 0, v, 0, v.length);
                return h;
            }
            case 2 -> {
                long h = m.newFloatArray(i % 7);
                float[] v = new float[i % 7];
                for (int k = 0; k < v.length; k++) v[k] = i * k;
                m.writeFloats(h, 0, v, 0, v.length);
                return h;
            }
            default -> { return i % 3 == 0 ? m.allocateArrayWithIdentity(ArrayLayout.REF, 3) : m.newRefArray(3); }
        }
    }

    private static long reachableFrom0(int[][] edges) {
        boolean[] seen = new boolean[edges.length];
        ArrayDeque<Integer> work = new ArrayDeque<>();
        seen[0] = true;
        work.add(0);
        long n = 1;
        while (!work.isEmpty())
            for (int j : edges[work.poll()])
                if (!seen[j]) {
                    seen[j] = true;
                    n++;
                    work.add(j);
                }
        return n;
    }
}
