package io.uffdgc.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.uffdgc.gc.observe.CountersFile;
import io.uffdgc.gc.observe.LiveCounter;
import io.uffdgc.gc.policy.CollectionPolicy;
import io.uffdgc.heap.Heap;
import io.uffdgc.heap.HeapConfig;
import io.uffdgc.heap.Mutator;
import io.uffdgc.uffd.gen.ugc_gc_stats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A second JVM reads this one's counters file while cycles run, and ends with the cycles' own sums. */
class LiveCountersTest {
    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void anotherProcessReadsTheCountersWhileCyclesRun() throws Exception {
        UffdAssumptions.assumeMove();
        List<Mode> modes = List.of(Mode.MOVE, Mode.COPY, Mode.MOVE);
        try (Heap heap = Heap.create(HeapConfig.defaults().withName("counters").withCapacity(64L << 20).withMaxHandles(1 << 16));
             Collector collector = Collector.attach(heap, CollectorConfig.defaults().withPolicy(CollectionPolicy.manual())
                     .withLiveCounters(true))) {
            Path file = collector.countersFile().orElseThrow();
            assertEquals(CountersFile.pathFor(ProcessHandle.current().pid()), file, "found from the pid");
            Path log = Files.createTempFile("counters-child", ".log");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process child = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED",
                    "--sun-misc-unsafe-memory-access=allow", "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
                    "-Xmx128m", "-cp", System.getProperty("java.class.path"), CountersReaderChild.class.getName(),
                    file.toString(), "counters", String.valueOf(modes.size()))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            List<CycleStats> cycles = new ArrayList<>();
            try (Mutator m = heap.attach()) {
                ShadowGraph g = new ShadowGraph(m, ShadowGraph.defineNode(heap), 2000, 11);
                for (Mode mode : modes) {
                    for (int i = 0; i < 20_000; i++) g.step();
                    cycles.add(collector.collect(mode));
                }
                assertTrue(child.waitFor(120, TimeUnit.SECONDS), "the reader saw every cycle");
            } finally {
                child.destroyForcibly();
            }
            String out = Files.readString(log).strip();
            assertEquals(0, child.exitValue(), out);
            Map<String, Long> seen = new HashMap<>();
            for (String kv : out.split(" ")) {
                String[] p = kv.split("=");
                seen.put(p[0], Long.parseLong(p[1]));
            }
            assertEquals(ProcessHandle.current().pid(), seen.get("pid"));
            assertEquals(modes.size(), seen.get(LiveCounter.CYCLES.name()));
            assertEquals(sum(cycles, s -> s.pages().moved()), seen.get(LiveCounter.PAGES_MOVED.name()), out);
            assertEquals(sum(cycles, s -> s.pages().copied()), seen.get(LiveCounter.PAGES_COPIED.name()), out);
            assertEquals(sum(cycles, s -> s.pages().zeroed()), seen.get(LiveCounter.PAGES_ZEROED.name()), out);
            assertEquals(sum(cycles, s -> s.pages().byFaults()), seen.get(LiveCounter.PAGES_BY_FAULTS.name()), out);
            assertEquals(sum(cycles, s -> s.engine().get(ugc_gc_stats::pages_by_compactors)),
                    seen.get(LiveCounter.PAGES_BY_COMPACTORS.name()), out);
            assertEquals(sum(cycles, s -> s.faults().served()), seen.get(LiveCounter.FAULTS_SERVED.name()), out);
            assertEquals(cycles.getLast().longestPauseNanos(), seen.get(LiveCounter.LAST_PAUSE_NS.name()), out);
            assertEquals(cycles.stream().mapToLong(CycleStats::longestPauseNanos).max().orElseThrow(),
                    seen.get(LiveCounter.MAX_PAUSE_NS.name()), out);
            assertEquals(cycles.getLast().memory().liveBytes(), seen.get(LiveCounter.LIVE_BYTES.name()), out);
            assertEquals(heap.capacity(), seen.get(LiveCounter.CAPACITY_BYTES.name()), out);
            assertTrue(seen.get("readings") >= 1, out);
        }
    }

    private static long sum(List<CycleStats> cycles, java.util.function.ToLongFunction<CycleStats> f) {
        return cycles.stream().mapToLong(f).sum();
    }
}
