package io.uffdgc.bench.compaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** scripts/bench observe-cost on a small heap: every ON half recorded its cycle, and the JSON has each ratio. */
class ObserveCostCommandTest {
    @TempDir Path dir;

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void theObservedHalvesRecordTheirCyclesAndTheRatiosAreWritten() throws Exception {
        Path json = dir.resolve("cost.json");
        int rc = new CommandLine(new ObserveCostCommand()).execute("--heap", "64m", "--repeat", "2", "--warmup-ms", "50",
                "--out", json.toString());
        assertEquals(0, rc);
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertEquals("live counters + JFR recording (settings: default, to disk)", root.path("config").path("observed").asText());
        JsonNode move = root.path("results").get(0);
        assertEquals("move", move.path("mode").asText());
        assertEquals(2, move.path("pairs").asInt());
        assertEquals(2, move.path("jfr_cycle_events").asLong(), "one io.uffdgc.Cycle event per observed cycle");
        for (String f : new String[] {"mutator_ops_per_s", "mutator_ops_per_s_outside_cycle", "process_cpu_ns_per_op", "compaction_ms", "longest_pause_ms"}) {
            JsonNode r = move.path(f).path("on_over_off");
            assertTrue(r.path("value").asDouble() > 0, f + ": " + r);
            assertTrue(r.path("ci95").get(0).asDouble() <= r.path("value").asDouble()
                    && r.path("value").asDouble() <= r.path("ci95").get(1).asDouble(), f + ": " + r);
        }
        double jfr = move.path("jfr_threads_cpu_share_of_core").path("median").asDouble();
        assertTrue(jfr > 0 && jfr < 1, "the flight recorder's threads ran, on less than a core: " + jfr);
    }
}
