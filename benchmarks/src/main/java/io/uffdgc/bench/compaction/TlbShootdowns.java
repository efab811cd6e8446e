package io.uffdgc.bench.compaction;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * TLB-shootdown interrupts, system-wide, from the "TLB:" line of /proc/interrupts (one
 * column per CPU). UFFDIO_MOVE takes a page out of the source mm's page tables, and a
 * mapping that another CPU may cache must be flushed there: an IPI per flush. Counted over
 * a compaction window, they show what MOVE costs the mutators running on the other CPUs
 * (issue 11). System-wide: other processes' flushes count too, so compare modes side by side.
 */
final class TlbShootdowns {
    private static final Path INTERRUPTS = Path.of("/proc/interrupts");

    private TlbShootdowns() {}

    /** The sum over CPUs now, or -1 where the kernel does not report them. */
    static long now() {
        try {
            for (String line : Files.readAllLines(INTERRUPTS)) {
                String t = line.strip();
                if (!t.startsWith("TLB:")) continue;
                long sum = 0;
                for (String f : t.substring(4).strip().split("\\s+")) {
                    if (f.isEmpty() || !Character.isDigit(f.charAt(0))) break; // the description
                    sum += Long.parseLong(f);
                }
                return sum;
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
