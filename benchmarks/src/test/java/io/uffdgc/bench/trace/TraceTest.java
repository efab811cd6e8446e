package io.uffdgc.bench.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.uffdgc.bench.workload.HeapGraph;
import io.uffdgc.bench.workload.ObjectMix;
import io.uffdgc.bench.workload.SurvivalPattern;
import io.uffdgc.gc.Collector;
import io.uffdgc.gc.CollectorConfig;
import io.uffdgc.gc.CyclePause;
import io.uffdgc.gc.CycleStats;
import io.uffdgc.gc.Marking;
import io.uffdgc.gc.Mode;
import io.uffdgc.gc.observe.Phase;
import io.uffdgc.gc.observe.TraceWriter;
import io.uffdgc.gc.policy.CollectionPolicy;
import io.uffdgc.heap.Heap;
import io.uffdgc.heap.HeapConfig;
import io.uffdgc.heap.Mutator;
import io.uffdgc.heap.layout.RecordLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A trace parses, its totals equal the cycles' statistics, and trace-plot draws it. */
class TraceTest {
    @TempDir Path dir;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aTraceParsesAndItsTotalsEqualTheCycleStatistics() throws Exception {
        Path file = dir.resolve("trace.jsonl");
        List<CycleStats> cycles = new ArrayList<>();
        List<Mode> modes = List.of(Mode.MOVE, Mode.COPY, Mode.STW);
        try (Heap heap = Heap.create(HeapConfig.defaults().withName("trace").withCapacity(64L << 20));
             Collector collector = Collector.attach(heap, CollectorConfig.defaults().withPolicy(CollectionPolicy.manual())
                     .withCompactorThreads(2));
             TraceWriter trace = new TraceWriter(file, "trace")) {
            collector.addListener(trace);
            RecordLayout[][] layouts = HeapGraph.defineLayouts(heap);
            for (Mode mode : modes) {
                try (Mutator m = heap.attach()) {
                    HeapGraph.build(m, layouts, ObjectMix.DEFAULT, SurvivalPattern.UNIFORM, 0.5, 16L << 20, 5);
                }
                Mode concrete = collector.modeSupport().available().contains(mode) ? mode : Mode.STW;
                cycles.add(collector.collect(concrete));
            }
            cycles.add(collector.collect(Mode.STW));   // nothing allocated since: still a cycle with every line
        }
        Trace t = Trace.read(file);
        assertEquals(cycles.size(), t.cycles().size(), "one cycle line per cycle");
        for (int i = 0; i < cycles.size(); i++) {
            CycleStats s = cycles.get(i);
            JsonNode c = t.cycles().get(i);
            assertEquals(s.cycle(), c.path("cycle").asLong());
            assertEquals(s.mode().name(), c.path("mode").asText());
            assertEquals(s.timings().totalNanos(), c.path("total_ns").asLong());
            assertEquals(s.pages().compacted(), c.path("pages_compacted").asLong());
            assertEquals(s.memory().liveBytes(), c.path("live_bytes").asLong());
            List<JsonNode> phases = t.phasesOf("trace", s.cycle());
            assertEquals(s.timings().totalNanos(), nanos(phases, Phase.CYCLE), "the cycle span is the cycle's total");
            assertEquals(s.timings().markNanos(), nanos(phases, Phase.MARKING));
            assertEquals(s.timings().planNanos(), nanos(phases, Phase.PLANNING));
            assertEquals(s.timings().windowNanos(), nanos(phases, Phase.WINDOW));
            if (s.mode().concurrent()) assertEquals(s.timings().finishNanos(), nanos(phases, Phase.FINISH));
            long pauses = 0;
            for (CyclePause p : s.pauses()) pauses += p.nanos();
            long pauseSpans = phases.stream().filter(p -> Phase.valueOf(p.path("phase").asText()).isPause())
                    .mapToLong(p -> p.path("end_ns").asLong() - p.path("start_ns").asLong()).sum();
            assertEquals(pauses, pauseSpans, "the pause spans are the pauses");
            assertEquals(pauses, c.path("pause_total_ns").asLong());
            assertEquals(s.marking() == Marking.CONCURRENT ? 4 : 1, s.pauses().size());
            long compactors = phases.stream().filter(p -> p.path("phase").asText().equals("COMPACTOR")).count();
            assertEquals(s.mode().concurrent() ? 2 : 0, compactors, "a span per compactor thread");
        }
        Path png = dir.resolve("trace.png");
        assertEquals(0, new picocli.CommandLine(new TracePlotCommand()).execute(file.toString(), "--out", png.toString()));
        assertTrue(Files.size(png) > 0);
    }

    private static long nanos(List<JsonNode> phases, Phase phase) {
        return phases.stream().filter(p -> p.path("phase").asText().equals(phase.name()))
                .mapToLong(p -> p.path("end_ns").asLong() - p.path("start_ns").asLong()).sum();
    }
}
