package io.uffdgc.bench.compaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.uffdgc.bench.workload.ObjectMix;
import io.uffdgc.bench.workload.SurvivalPattern;
import io.uffdgc.gc.Mode;
import java.util.List;
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
        assertEquals(3, c.repeat());
        assertEquals(20261122, c.seed());
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
    @CsvSource(delimiter = ' ', value = {"--modes auto", "--modes move,foo", "--heap 1x", "--pattern x", "--mix recs=1"})
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
