package io.uffdgc.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.uffdgc.gc.observe.CollectorEvents;
import io.uffdgc.gc.policy.CollectionPolicy;
import io.uffdgc.heap.Heap;
import io.uffdgc.heap.HeapConfig;
import io.uffdgc.heap.Mutator;
import io.uffdgc.uffd.gen.testing.UffdgcTesting;
import io.uffdgc.uffd.gen.ugc_gc_stats;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A JFR recording made around cycles holds the collector's events, with the cycles' own figures. */
class JfrEventsTest {
    @TempDir Path dir;

    private static List<RecordedEvent> named(List<RecordedEvent> all, String name) {
        return all.stream().filter(e -> e.getEventType().getName().equals(name)).toList();
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aRecordingHoldsEveryPhaseWithTheCyclesFigures() throws Exception {
        UffdAssumptions.assumeMove();
        Path file = dir.resolve("cycles.jfr");
        List<CycleStats> cycles = new ArrayList<>();
        try (Recording r = new Recording()) {
            for (String n : CollectorEvents.NAMES) r.enable(n).withoutThreshold();
            r.start();
            try (Heap heap = Heap.create(HeapConfig.defaults().withName("jfr").withCapacity(64L << 20).withMaxHandles(1 << 16));
                 Collector collector = Collector.attach(heap, CollectorConfig.defaults().withPolicy(CollectionPolicy.manual())
                         .withCompactorThreads(2))) {
                try (Mutator m = heap.attach()) {
                    ShadowGraph g = new ShadowGraph(m, ShadowGraph.defineNode(heap), 2000, 7);
                    for (Mode mode : List.of(Mode.MOVE, Mode.COPY, Mode.STW)) {
                        for (int i = 0; i < 20_000; i++) g.step();
                        cycles.add(collector.collect(mode));
                    }
                    // A compactor that stops early (the test knob): the rare event says so.
                    for (int i = 0; i < 20_000; i++) g.step();
                    UffdgcTesting.ugc_gc_set_abandon_after(MemorySegment.ofAddress(collector.engine().address()), 3);
                    cycles.add(collector.collect(Mode.MOVE));
                    UffdgcTesting.ugc_gc_set_abandon_after(MemorySegment.ofAddress(collector.engine().address()), -1);
                    g.verify();
                }
            }
            r.stop();
            r.dump(file);
        }
        List<RecordedEvent> all = RecordingFile.readAllEvents(file);

        List<RecordedEvent> cycleEvents = named(all, "io.uffdgc.Cycle");
        assertEquals(cycles.size(), cycleEvents.size(), "one Cycle event per cycle");
        for (CycleStats s : cycles) {
            RecordedEvent c = cycleEvents.stream().filter(e -> e.getLong("cycle") == s.cycle()).findFirst().orElseThrow();
            assertEquals("jfr", c.getString("heap"));
            assertEquals(s.mode().name(), c.getString("mode"));
            assertEquals(s.memory().liveBytes(), c.getLong("liveBytes"));
            assertEquals(s.memory().usedBefore(), c.getLong("usedBefore"));
            assertEquals(s.memory().usedAfter(), c.getLong("usedAfter"));
            assertEquals(s.pages().compacted(), c.getLong("pagesCompacted"));
            assertEquals(s.pages().moved(), c.getLong("pagesMoved"));
            assertEquals(s.pages().copied(), c.getLong("pagesCopied"));
            assertEquals(s.faults().served(), c.getLong("faultsServed"));
            assertEquals(s.longestPauseNanos(), c.getDuration("longestPause").toNanos());
            assertEquals(s.pauses().size(), c.getInt("pauses"));

            List<RecordedEvent> pauses = named(all, "io.uffdgc.Pause").stream().filter(e -> e.getLong("cycle") == s.cycle())
                    .sorted((a, b) -> a.getStartTime().compareTo(b.getStartTime())).toList();
            assertEquals(s.pauses().size(), pauses.size(), "one Pause event per pause");
            for (int i = 0; i < pauses.size(); i++) {
                CyclePause p = s.pauses().get(i);
                RecordedEvent e = pauses.get(i);
                assertEquals(p.kind().name(), e.getString("kind"));
                assertEquals(p.timeToSafepointNanos(), e.getDuration("timeToSafepoint").toNanos());
                assertFalse(e.getStartTime().isBefore(c.getStartTime()), "a pause lies inside its cycle");
                assertFalse(e.getEndTime().isAfter(c.getEndTime()), "a pause lies inside its cycle");
            }
            RecordedEvent mark = one(all, "io.uffdgc.Marking", s.cycle());
            assertEquals(s.memory().liveObjects(), mark.getLong("liveObjects"));
            assertEquals(s.engine().get(ugc_gc_stats::satb_logged), mark.getLong("satbLogged"));
            assertEquals(s.engine().get(ugc_gc_stats::pages_total), one(all, "io.uffdgc.Planning", s.cycle()).getLong("pages"));
            List<RecordedEvent> compactors = named(all, "io.uffdgc.Compactor").stream()
                    .filter(e -> e.getLong("cycle") == s.cycle()).toList();
            if (s.mode().concurrent()) {
                RecordedEvent w = one(all, "io.uffdgc.CompactionWindow", s.cycle());
                assertEquals(s.pages().byFaults(), w.getLong("pagesByFaults"));
                assertEquals(s.pages().zeroed(), w.getLong("pagesZeroed"));
                assertEquals(s.faults().served(), w.getLong("faultsServed"));
                assertEquals(s.memory().heapResidentAfter(), one(all, "io.uffdgc.Finish", s.cycle()).getLong("residentAfter"));
                assertEquals(2, compactors.size(), "one Compactor event per compactor thread");
                for (RecordedEvent e : compactors)
                    assertTrue(e.getThread().getJavaName().startsWith("uffdgc-compactor-jfr-"), "committed on its thread");
                long byCompactors = compactors.stream().mapToLong(e -> e.getLong("pages")).sum();
                long spanPages = s.timeline().stream().mapToLong(io.uffdgc.gc.observe.PhaseSpan::pages).sum();
                assertEquals(spanPages, byCompactors, "the compactors' pages, as their spans have them");
            } else {
                assertEquals(0, compactors.size());
                assertTrue(named(all, "io.uffdgc.CompactionWindow").stream().noneMatch(e -> e.getLong("cycle") == s.cycle()));
            }
        }
        CycleStats stopped = cycles.getLast();
        RecordedEvent st = one(all, "io.uffdgc.CompactorStopped", stopped.cycle());
        assertEquals(stopped.engine().get(ugc_gc_stats::abandoned), st.getLong("abandoned"));
        assertTrue(st.getLong("abandoned") >= 1);
        assertTrue(Files.size(file) > 0);
        // Every event type the collector registered is one CollectorEvents names (and so one the recording enabled).
        List<String> registered = jdk.jfr.FlightRecorder.getFlightRecorder().getEventTypes().stream()
                .map(jdk.jfr.EventType::getName).filter(n -> n.startsWith("io.uffdgc.")).toList();
        assertTrue(registered.size() >= 8, "the cycles' event types registered: " + registered);
        assertTrue(CollectorEvents.NAMES.containsAll(registered), "registered " + registered + ", named " + CollectorEvents.NAMES);
    }

    private static RecordedEvent one(List<RecordedEvent> all, String name, long cycle) {
        List<RecordedEvent> of = named(all, name).stream().filter(e -> e.getLong("cycle") == cycle).toList();
        assertEquals(1, of.size(), () -> name + " events of cycle " + cycle + ": " + of);
        return of.getFirst();
    }
}
