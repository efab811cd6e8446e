package io.uffdgc.bench.peers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;

/**
 * The child JVM's own safepoint log ({@code -Xlog:safepoint}), read back by the child:
 * every global JVM pause, GC or not, with its total time in nanoseconds from the
 * request to the threads' release ("Total" = reaching + at + leaving the safepoint).
 * One uniform measure for G1, ZGC and Shenandoah, whose GC pauses are all VM
 * operations at safepoints, and with nanosecond resolution where the GC MXBeans report
 * whole milliseconds. The JVM flushes each line, so the child reads what was logged
 * between {@link #mark()} and {@link #read()}.
 */
final class SafepointLog {
    static final String PROPERTY = "uffdgc.peers.safepointLog";
    private static final Pattern LINE = Pattern.compile("Safepoint \"([^\"]+)\".*Total: (\\d+) ns");

    private final Path file;
    private long offset;

    private SafepointLog(Path file) { this.file = file; }

    /** The flags that make a JVM log its safepoints to file, without rotation. */
    static List<String> jvmFlags(Path file) {
        return List.of("-Xlog:safepoint=info:file=" + file + ":uptimenanos:filecount=0", "-D" + PROPERTY + "=" + file);
    }

    /** The log this JVM was started with, see {@link #jvmFlags}. */
    static SafepointLog ofThisJvm() {
        String f = System.getProperty(PROPERTY);
        if (f == null) throw new IllegalStateException("started without " + jvmFlags(Path.of("FILE")));
        return new SafepointLog(Path.of(f));
    }

    /** Starts the measured stretch of the log here. */
    void mark() { offset = size(); }

    /** Safepoints logged since {@link #mark()}: their total times (ns) and counts per VM operation. */
    Summary read() {
        Histogram total = new Histogram(3);
        Map<String, Long> byOperation = new TreeMap<>();
        String text;
        try {
            byte[] all = Files.readAllBytes(file);
            text = new String(all, (int) Math.min(offset, all.length), (int) Math.max(0, all.length - offset),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the safepoint log " + file, e);
        }
        for (String line : text.split("\n")) {
            Matcher m = LINE.matcher(line);
            if (!m.find()) continue;
            total.recordValue(Long.parseLong(m.group(2)));
            byOperation.merge(m.group(1), 1L, Long::sum);
        }
        return new Summary(total, byOperation);
    }

    private long size() {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the safepoint log " + file, e);
        }
    }

    record Summary(Histogram totalNanos, Map<String, Long> byOperation) {}
}
