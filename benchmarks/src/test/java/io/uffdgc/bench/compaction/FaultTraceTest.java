package io.uffdgc.bench.compaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.uffdgc.bench.trace.Trace;
import io.uffdgc.bench.trace.TracePlotCommand;
import io.uffdgc.gc.CycleStats;
import io.uffdgc.gc.Mode;
import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * --trace-faults: the benchmark's mutators fault in the window, and the trace holds one line
 * per fault the cycle served, each with its page and a stall that the cycle's histogram holds.
 */
class FaultTraceTest {
    @TempDir Path dir;

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void aFaultTraceHasALinePerServedFaultWithTheCyclesStalls() throws Exception {
        Path file = dir.resolve("faults.jsonl");
        BenchConfig config = CompactionOptionsTest.parse("--heap", "64m", "--modes", "move,copy", "--repeat", "2",
                "--warmup-ms", "50");
        Map<Mode, List<Sample>> runs = new CompactionBenchmark(config, new PrintStream(OutputStream.nullOutputStream()))
                .observe(false, file, true).run();
        Trace t = Trace.read(file);
        long served = 0;
        for (var e : runs.entrySet()) {
            for (Sample s : e.getValue()) {
                assertTrue(s.verified(), s.failure());
                CycleStats c = s.stats();
                String heap = "bench-" + e.getKey().name().toLowerCase() + "-rep" + s.repetition();
                List<JsonNode> faults = t.faultsOf(heap, c.cycle());
                assertEquals(0, c.faults().log().dropped(), "the ring had room");
                assertEquals(c.faults().served(), faults.size(), heap + ": a line per fault served");
                Histogram stalls = new Histogram(c.faults().serviceNanos().getHighestTrackableValue(), 3);
                long windowStart = t.phasesOf(heap, c.cycle()).stream().filter(p -> p.path("phase").asText().equals("CYCLE"))
                        .mapToLong(p -> p.path("start_ns").asLong()).min().orElseThrow();
                for (JsonNode f : faults) {
                    assertTrue(f.path("start_ns").asLong() >= windowStart, "a fault of the cycle starts in it: " + f);
                    assertTrue(f.path("page").asLong() % 4096 == 0, "a page address: " + f);
                    stalls.recordValue(f.path("stall_ns").asLong());
                }
                assertEquals(c.faults().serviceNanos(), stalls, heap + ": the lines' stalls are the cycle's histogram");
                served += faults.size();
            }
        }
        assertTrue(served > 0, "the mutators faulted in some window");
        Path png = dir.resolve("faults.png");
        assertEquals(0, new picocli.CommandLine(new TracePlotCommand()).execute(file.toString(), "--out", png.toString()));
        assertTrue(Files.size(png) > 0);
    }

    @Test
    void faultLinesNeedATraceFile() {
        assertThrows(IllegalArgumentException.class, () -> new CompactionBenchmark(
                CompactionOptionsTest.parse(), System.out).observe(false, null, true));
    }
}
