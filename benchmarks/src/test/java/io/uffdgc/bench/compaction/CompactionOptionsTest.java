package io.uffdgc.bench.compaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.uffdgc.bench.workload.ObjectMix;
import io.uffdgc.bench.workload.SurvivalPattern;
import io.uffdgc.gc.CollectorConfig;
import io.uffdgc.gc.FaultHandling;
import io.uffdgc.gc.Marking;
import io.uffdgc.gc.Mode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** The command line of scripts/bench as the run sees it: picocli converts every option. */
class CompactionOptionsTest {
    static BenchConfig parse(String... args) {
        CompactionCommand c = new CompactionCommand();
        new CommandLine(c).parseArgs(args);
        return c.config();
    }

    @Test
    void noOptionsIsTheDefaultRun() {
        BenchConfig c = parse();
        assertEquals(1L << 30, c.heapBytes());
        assertEquals(0.85, c.fill());
        assertEquals(0.5, c.live());
        assertEquals(SurvivalPattern.UNIFORM, c.pattern());
        assertEquals(ObjectMix.DEFAULT, c.mix());
        assertEquals(2, c.mutators());
        assertEquals(List.of(Mode.MOVE, Mode.COPY, Mode.STW), c.modes());
        assertEquals(CompactionCommand.DEFAULT_REPEAT, c.repeat());
        assertEquals(20261122, c.seed());
        assertEquals(new BenchConfig.CollectorTunables(1, 1, 64, CollectorConfig.DEFAULT_DENSE_PERCENT, false,
                FaultHandling.THREADS, Marking.CONCURRENT, 1, true), c.collector());
        assertEquals(Duration.ofMillis(300), c.warmup());
        assertEquals(Duration.ofNanos(10_000), c.stallGap());
        assertEquals(BenchConfig.RatioBasis.WALL, c.basis());
        assertEquals(Duration.ofNanos(500_000), c.probeInterval());
    }

    @Test
    void everyTunableIsSetFromTheCommandLineAndRecorded() {
        BenchConfig c = parse("--compactors", "2", "--fault-threads", "3", "--run-pages", "16", "--dense-percent", "0",
                "--huge-pages", "--fault-handling", "SIGBUS", "--marking", "stw", "--mark-threads", "2", "--warmup-ms", "50", "--stall-gap-us", "25.5", "--ratio-basis", "CPU", "--fill", "0.7",
                "--probe-interval-us", "250", "--single-pages", "move");
        assertEquals(new BenchConfig.CollectorTunables(2, 3, 16, 0, true, FaultHandling.SIGBUS, Marking.STOP_THE_WORLD, 2,
                false), c.collector());
        assertEquals(Duration.ofMillis(50), c.warmup());
        assertEquals(Duration.ofNanos(25_500), c.stallGap());
        assertEquals(BenchConfig.RatioBasis.CPU, c.basis());
        Map<String, Object> d = c.describe();
        assertEquals(2, d.get("compactor_threads"));
        assertEquals(3, d.get("fault_threads"));
        assertEquals(16, d.get("run_pages"));
        assertEquals("move", d.get("single_pages"));
        assertEquals(2, d.get("mark_threads"));
        assertEquals(0, d.get("dense_percent"));
        assertEquals(true, d.get("huge_pages"));
        assertEquals("sigbus", d.get("fault_handling"));
        assertEquals(50L, d.get("warmup_ms"));
        assertEquals(25.5, d.get("stall_gap_us"));
        assertEquals("cpu", d.get("ratio_basis"));
        assertEquals(0.7, d.get("fill"));
        assertEquals(250.0, d.get("probe_interval_us"));
        for (String k : List.of("marking", "policy", "ratio_method", "latency_correction", "modes", "repeat", "seed"))
            assertTrue(d.containsKey(k), k);
    }

    @Test
    void aCollectorTunableOutOfRangeFailsBeforeAnyHeapIsBuilt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse("--run-pages", "65"));
        assertTrue(e.getMessage().contains("runPages 65"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> parse("--dense-percent", "101"));
        assertThrows(IllegalArgumentException.class, () -> parse("--stall-gap-us", "0"));
    }

    @Test
    void valuesAreConvertedInAnyCase() {
        BenchConfig c = parse("--heap", "512m", "--modes", "Move,STW", "--pattern", "CLUSTERED",
                "--mix", "records=0.9,bytearrays=0.1", "--repeat", "5");
        assertEquals(512L << 20, c.heapBytes());
        assertEquals(List.of(Mode.MOVE, Mode.STW), c.modes());
        assertEquals(SurvivalPattern.CLUSTERED, c.pattern());
        assertEquals(new ObjectMix(0.9, 0, 0.1), c.mix());
        assertEquals(5, c.repeat());
    }

    @Test
    void quickKeepsGivenModesAndRepetitions() {
        BenchConfig c = parse("--quick", "--modes", "copy");
        assertEquals(256L << 20, c.heapBytes());
        assertEquals(List.of(Mode.COPY), c.modes());
        assertEquals(2, c.repeat());
    }

    @ParameterizedTest
    @CsvSource(delimiter = ' ', value = {"--modes auto", "--modes move,foo", "--heap 1x", "--pattern x", "--mix recs=1",
            "--ratio-basis median"})
    void aBadValueFailsTheParse(String option, String value) {
        assertThrows(CommandLine.ParameterException.class, () -> parse(option, value));
    }

    @Test
    void sizesReadBackAsTheyAreWritten() {
        for (String s : List.of("256m", "1g", "4g", "1536m", "1536k", "123")) assertEquals(s, Sizes.format(Sizes.parse(s)));
        assertEquals("1g", Sizes.format(Sizes.parse("1024m")));
        assertEquals("4m", Sizes.format(Sizes.parse("4096k")));
    }
}
