package io.uffdgc.gc.observe;

import io.uffdgc.gc.CycleListener;
import io.uffdgc.gc.CycleStats;
import io.uffdgc.uffd.service.FaultLog;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A trace of the cycles: a {@link CycleListener} that writes, after each cycle, one JSON line
 * per phase ({@code "type":"phase"}: phase, thread, start and end in ns of System.nanoTime(),
 * pages for compactors) and one for the cycle ({@code "type":"cycle"}: mode, trigger, pauses,
 * bytes, pages, faults), and, if the collector keeps a fault log ({@code CollectorConfig.withFaultLog}),
 * one per fault ({@code "type":"fault"}: page address, start and stall in ns). Written on the
 * cycle's thread after the cycle, never during it.
 * {@code collector.addListener(new TraceWriter(path))}; {@code scripts/bench --trace FILE};
 * {@code scripts/trace-plot FILE} draws it.
 */
public final class TraceWriter implements CycleListener, AutoCloseable {
    private final BufferedWriter out;
    private final String heap;

    /** Appends to file (created if missing); heap names the heap in every line. */
    public TraceWriter(Path file, String heap) {
        try {
            this.out = Files.newBufferedWriter(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the trace " + file, e);
        }
        this.heap = heap;
    }

    @Override
    public synchronized void cycleCompleted(CycleStats s) {
        try {
            for (PhaseSpan p : s.timeline())
                out.write(String.format("{\"type\":\"phase\",\"heap\":\"%s\",\"cycle\":%d,\"phase\":\"%s\",\"thread\":\"%s\","
                                + "\"start_ns\":%d,\"end_ns\":%d,\"pages\":%d}%n", json(heap), s.cycle(), p.phase(),
                        json(p.thread()), p.startNanos(), p.endNanos(), p.pages()));
            writeFaults(s);
            long pauses = s.pauses().stream().mapToLong(io.uffdgc.gc.CyclePause::nanos).sum();
            out.write(String.format("{\"type\":\"cycle\",\"heap\":\"%s\",\"cycle\":%d,\"mode\":\"%s\",\"trigger\":\"%s\","
                            + "\"marking\":\"%s\",\"total_ns\":%d,\"pauses\":%d,\"pause_total_ns\":%d,\"longest_pause_ns\":%d,"
                            + "\"mark_ns\":%d,\"plan_ns\":%d,\"window_ns\":%d,\"finish_ns\":%d,\"live_bytes\":%d,"
                            + "\"used_before\":%d,\"used_after\":%d,\"pages_compacted\":%d,\"pages_moved\":%d,"
                            + "\"pages_copied\":%d,\"pages_by_faults\":%d,\"faults\":%d,\"faults_logged\":%d,"
                            + "\"faults_unlogged\":%d}%n",
                    json(heap), s.cycle(), s.mode(), s.trigger(), s.marking(), s.timings().totalNanos(), s.pauses().size(),
                    pauses, s.longestPauseNanos(), s.timings().markNanos(), s.timings().planNanos(),
                    s.timings().windowNanos(), s.timings().finishNanos(), s.memory().liveBytes(),
                    s.memory().usedBefore(), s.memory().usedAfter(), s.pages().compacted(), s.pages().moved(),
                    s.pages().copied(), s.pages().byFaults(), s.faults().served(),
                    s.faults().log().size(), s.faults().log().dropped()));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("writing the trace", e);
        }
    }

    /** One line per logged fault; a StringBuilder, not format: a window can have thousands. */
    private void writeFaults(CycleStats s) throws IOException {
        FaultLog log = s.faults().log();
        StringBuilder line = new StringBuilder(128);
        String prefix = "{\"type\":\"fault\",\"heap\":\"" + json(heap) + "\",\"cycle\":" + s.cycle() + ",\"page\":";
        for (int i = 0; i < log.size(); i++) {
            line.setLength(0);
            line.append(prefix).append(log.page(i)).append(",\"start_ns\":").append(log.startNanos(i))
                    .append(",\"stall_ns\":").append(log.stallNanos(i)).append("}\n");
            out.append(line);
        }
    }

    private static String json(String s) { return s.replace("\\", "\\\\").replace("\"", "\\\""); }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("closing the trace", e);
        }
    }
}
