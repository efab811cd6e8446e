package io.uffdgc.gc;

import io.uffdgc.gc.engine.NativeEngine;
import io.uffdgc.gc.observe.CountersFile;
import io.uffdgc.gc.observe.LiveCounter;
import io.uffdgc.uffd.service.FaultService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import org.agrona.concurrent.status.ConcurrentCountersManager;
import org.agrona.concurrent.status.CountersReader;

/**
 * One collector's live counters ({@link LiveCounter}) in this process's counters file. The
 * engine's counters are handed to C, which adds to them where it counts anyway; the rest
 * Java sets after each cycle. Nothing here runs on the fault path.
 */
final class HeapCounters implements AutoCloseable {
    private final Map<LiveCounter, Integer> ids = new EnumMap<>(LiveCounter.class);
    private long maxPause;

    HeapCounters(String heap, long capacity, NativeEngine engine, FaultService service) {
        Process p = Process.get();
        for (LiveCounter c : LiveCounter.values()) {
            int id = p.manager.allocate(heap + ": " + c.name().toLowerCase(), c.typeId());
            p.manager.setCounterValue(id, 0);
            ids.put(c, id);
            if (c.engineName() != null) engine.setLiveCounter(EngineStats.indexOf(c.engineName()), p.address(id));
        }
        if (service != null) service.countFaultsInto(p.address(ids.get(LiveCounter.FAULTS_SERVED)));
        set(LiveCounter.CAPACITY_BYTES, capacity);
    }

    /** The counters file of this process. */
    static Path file() { return Process.get().file; }

    void set(LiveCounter c, long value) { Process.get().manager.setCounterValue(ids.get(c), value); }

    void cycleCompleted(CycleStats s, long cycles, long used) {
        maxPause = Math.max(maxPause, s.longestPauseNanos());
        set(LiveCounter.LAST_PAUSE_NS, s.longestPauseNanos());
        set(LiveCounter.MAX_PAUSE_NS, maxPause);
        set(LiveCounter.LIVE_BYTES, s.memory().liveBytes());
        set(LiveCounter.RESIDENT_BYTES, s.memory().heapResidentAfter());
        set(LiveCounter.USED_BYTES, used);
        set(LiveCounter.CYCLES, cycles);
    }

    /** Frees the counters; only after the engine is freed and the service stopped (C writes them until then). */
    @Override
    public void close() {
        Process p = Process.get();
        for (int id : ids.values()) p.manager.free(id);
        ids.clear();
    }

    /**
     * The process's file, created by the first collector that asks and kept mapped until the
     * JVM exits (a counter freed and reused is still valid memory for a late write), deleted at exit.
     */
    private static final class Process {
        private static Process instance;
        final Path file;
        final CountersFile.Created mapped;
        final ConcurrentCountersManager manager;

        private Process(Path file) throws IOException {
            this.file = file;
            this.mapped = CountersFile.create(file);
            this.manager = new ConcurrentCountersManager(mapped.metadata(), mapped.values());
        }

        static synchronized Process get() {
            if (instance == null) {
                Path f = CountersFile.pathFor(ProcessHandle.current().pid());
                try {
                    instance = new Process(f);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot create the live counters file " + f, e);
                }
                Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
                    try {
                        Files.deleteIfExists(f);
                    } catch (IOException ignored) {
                        // a file left in /tmp is all that is lost
                    }
                }));
            }
            return instance;
        }

        long address(int id) { return mapped.values().addressOffset() + CountersReader.counterOffset(id); }
    }
}
