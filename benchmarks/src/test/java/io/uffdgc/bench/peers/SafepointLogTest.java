package io.uffdgc.bench.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafepointLogTest {
    // Lines as Temurin 25 writes them with -Xlog:safepoint=info:file=...:uptimenanos.
    static final String BEFORE = """
            [853722162ns] Safepoint "ZMarkStartYoungAndOld", Time since last: 686431450 ns, Reaching safepoint: 1506525 ns, At safepoint: 22612 ns, Leaving safepoint: 9017 ns, Total: 1538154 ns, Threads: 2 runnable, 10 total
            """;
    static final String MEASURED = """
            [863799999ns] Safepoint "ZMarkEndYoung", Time since last: 9992047 ns, Reaching safepoint: 53259 ns, At safepoint: 28965 ns, Leaving safepoint: 3527 ns, Total: 85751 ns, Threads: 1 runnable, 10 total
            [872379547ns] Safepoint "ZRelocateStartYoung", Time since last: 1503379 ns, Reaching safepoint: 72445 ns, At safepoint: 11602 ns, Leaving safepoint: 6991099 ns, Total: 7075146 ns, Threads: 1 runnable, 10 total
            [872379999ns] Safepoint "ZMarkEndYoung", Time since last: 1 ns, Reaching safepoint: 1 ns, At safepoint: 1 ns, Leaving safepoint: 1 ns, Total: 4 ns, Threads: 1 runnable, 10 total
            [872380000ns] some other line
            """;

    @Test
    void readsOnlyWhatWasLoggedAfterTheMark(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("sp.log");
        Files.writeString(f, BEFORE);
        System.setProperty(SafepointLog.PROPERTY, f.toString());
        try {
            SafepointLog log = SafepointLog.ofThisJvm();
            log.mark();
            Files.writeString(f, MEASURED, StandardOpenOption.APPEND);
            SafepointLog.Summary s = log.read();
            assertEquals(3, s.totalNanos().getTotalCount());
            assertEquals(7075146, s.totalNanos().getMaxValue(), 7075146 / 1000.0);
            assertEquals(Map.of("ZMarkEndYoung", 2L, "ZRelocateStartYoung", 1L), s.byOperation());
        } finally {
            System.clearProperty(SafepointLog.PROPERTY);
        }
    }

    @Test
    void aJvmStartedWithoutTheLogSaysSo() {
        assertThrows(IllegalStateException.class, SafepointLog::ofThisJvm);
    }
}
