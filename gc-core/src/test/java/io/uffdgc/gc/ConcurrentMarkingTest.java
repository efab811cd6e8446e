package io.uffdgc.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.uffdgc.heap.Heap;
import io.uffdgc.heap.HeapConfig;
import io.uffdgc.heap.layout.RecordLayout;
import io.uffdgc.uffd.gen.ugc_gc_stats;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Concurrent marking loses nothing while mutators move the only path to objects through
 * every write path during marking ({@link RewiringGraph}), in every compaction mode; and
 * without the barrier the same workload does lose objects, in a child JVM
 * ({@link BarrierOffChild}): the test can fail.
 */
class ConcurrentMarkingTest {
    static final int CYCLES = 25;
    /** Long enough that marking takes milliseconds, so thousands of moves land inside it. */
    static final int SPINE = 120_000, HOLDERS = 600;

    /** A 64 MiB heap with room for 128 Ki handles, for tests of one concurrent cycle. */
    static Heap smallHeap(String name) {
        return Heap.create(HeapConfig.defaults().withName(name).withCapacity(64L << 20).withMaxHandles(1 << 17));
    }

    static CollectorConfig concurrent() {
        return CollectorModesTest.manual().withMarking(Marking.CONCURRENT).withDensePercent(0);
    }

    static MutatorHarness rewiring(Heap heap, int mutators) {
        RecordLayout node = ShadowGraph.defineNode(heap);
        return new MutatorHarness(heap, mutators, 2_000_000, (m, seed) -> new RewiringGraph(m, node, SPINE, HOLDERS, seed));
    }

    /** Every compaction mode with one marking thread, and with two (their bitmap and grey work shared). */
    @ParameterizedTest(name = "{0}, {1} marking thread(s)")
    @CsvSource({"STW, 1", "COPY, 1", "MOVE, 1", "STW, 2", "COPY, 2", "MOVE, 2"})
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void rewiringDuringMarkingLosesNothing(Mode mode, int markThreads) {
        UffdAssumptions.assumeMode(mode);
        try (Heap heap = Heap.create(HeapConfig.defaults().withName("rewire-" + mode).withCapacity(96L << 20)
                     .withMaxHandles(1 << 16));
             Collector collector = Collector.attach(heap, concurrent().withMarkThreads(markThreads));
             MutatorHarness mutators = rewiring(heap, 2)) {
            long logged = 0;
            for (int c = 0; c < CYCLES; c++) {
                CycleStats s = mutators.cycle(collector, mode);
                logged += s.engine().get(ugc_gc_stats::satb_logged);
                assertEquals(Marking.CONCURRENT, s.marking());
                assertEquals(List.of(CyclePause.Kind.MARK_BEGIN, CyclePause.Kind.REMARK, CyclePause.Kind.TAIL, CyclePause.Kind.FLIP),
                        s.pauses().stream().map(CyclePause::kind).toList());
                assertEquals(0, s.engine().get(ugc_gc_stats::errors), () -> "engine errors: " + s.engine());
            }
            assertTrue(mutators.steps > CYCLES * 1000L, "mutators made progress: " + mutators.steps + " steps");
            assertTrue(logged > 0, "the mutators overwrote references while marking ran (the barrier logged " + logged + ")");
        }
    }

    /**
     * Objects allocated while marking runs are live without marking and are compacted right
     * after the marked data: with the dense prefix off, the heap ends exactly start + live
     * bytes, no gap (fillers of retired TLABs are not kept).
     */
    @ParameterizedTest
    @EnumSource(value = Mode.class, names = {"STW", "COPY", "MOVE"})
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void objectsAllocatedDuringMarkingSurviveAndTheHeapEndsPacked(Mode mode) {
        UffdAssumptions.assumeMode(mode);
        try (Heap heap = Heap.create(HeapConfig.defaults().withName("black-" + mode).withCapacity(96L << 20)
                     .withMaxHandles(1 << 16));
             Collector collector = Collector.attach(heap, concurrent());
             MutatorHarness mutators = rewiring(heap, 2)) {
            for (int c = 0; c < 8; c++) {
                long before = heap.top();
                CycleStats s = mutators.cycle(collector, mode);
                assertEquals(Heap.START + s.memory().liveBytes(), s.memory().usedAfter(),
                        () -> "heap packed after the cycle: " + s);
                assertTrue(s.memory().usedBefore() > before, "mutators allocated during the cycle: top " + before
                        + " before it, " + s.memory().usedBefore() + " at its flip");
                assertTrue(s.engine().get(ugc_gc_stats::black_objects) > 0, () -> "objects allocated during marking: " + s);
            }
        }
    }

    /** Stop-the-world marking stays available: one pause holds mark, plan and flip. */
    @Test
    void stopTheWorldMarkingIsOnePause() {
        try (Heap heap = Heap.create(HeapConfig.defaults().withName("stw-marking").withCapacity(64L << 20)
                     .withMaxHandles(1 << 16));
             Collector collector = Collector.attach(heap, concurrent().withMarking(Marking.STOP_THE_WORLD));
             MutatorHarness mutators = rewiring(heap, 1)) {
            for (int c = 0; c < 3; c++) {
                CycleStats s = mutators.cycle(collector, Mode.STW);
                assertEquals(List.of(CyclePause.Kind.FLIP), s.pauses().stream().map(CyclePause::kind).toList());
                assertEquals(s.timings().pauseNanos(), s.longestPauseNanos());
            }
        }
    }

    /** The same workload with the barrier switched off must lose objects (else these tests prove nothing). */
    @ParameterizedTest(name = "{0} marking thread(s)")
    @ValueSource(ints = {1, 2})
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void withoutTheBarrierTheWorkloadLosesObjects(int markThreads) throws Exception {
        Path log = Files.createTempFile("barrier-off-child", ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = List.of(java, "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                "-Xmx512m", "-cp", System.getProperty("java.class.path"), BarrierOffChild.class.getName(), "40",
                Integer.toString(markThreads));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean exited = p.waitFor(200, TimeUnit.SECONDS);
        if (!exited) p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        String out = Files.readString(log);
        new File(log.toString()).delete();
        assertTrue(exited, "child JVM hung (killed after 200 s); output:\n" + out);
        assertEquals(BarrierOffChild.LOST_EXIT, p.exitValue(), "without the barrier the child should lose a token;"
                + " output:\n" + out);
        assertTrue(out.contains("LOST"), out);
    }
}
