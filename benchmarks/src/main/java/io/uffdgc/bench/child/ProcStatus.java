package io.uffdgc.bench.child;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This process's resident memory from /proc/self/status: VmHWM (the peak) and VmRSS
 * (now), in KiB. Whole-process figures, so the JVM's own code, metadata and threads
 * count in every world alike.
 */
public record ProcStatus(long vmHwmKib, long vmRssKib) {
    public static ProcStatus read() {
        try {
            long hwm = -1, rss = -1;
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) hwm = kib(line);
                else if (line.startsWith("VmRSS:")) rss = kib(line);
            }
            if (hwm < 0 || rss < 0) throw new IllegalStateException("no VmHWM/VmRSS in /proc/self/status");
            return new ProcStatus(hwm, rss);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/self/status", e);
        }
    }

    private static long kib(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }
}
