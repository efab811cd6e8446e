package io.uffdgc.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The JVM safepoint rule with the real collector: a child JVM runs cycles while its
 * mutators fault and a thread calls System.gc() in a loop. A Java thread resolving
 * faults would deadlock it; the child is killed when it makes no progress for STALL,
 * so a hang fails the test instead of holding the build.
 */
class JvmSafepointTest {
    private static final Duration STALL = Duration.ofSeconds(90);

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES) // slow progress on a loaded machine is not a failure; STALL is
    void cyclesCompleteWhileTheJvmReachesSafepoints() throws Exception {
        UffdAssumptions.assumeMove(); // the child runs MOVE and COPY cycles
        Path log = Files.createTempFile("safepoint-child", ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = List.of(java, "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                "-Xmx512m", "-cp", System.getProperty("java.class.path"), SafepointChild.class.getName(), "30");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        // A deadlock is no progress, not slow progress: on a loaded machine 30 cycles can take minutes,
        // so the child prints a line per cycle and is killed only after STALL without a new one.
        long lastSize = -1, lastProgress = System.nanoTime();
        boolean exited = false, stalled = false;
        while (!(exited = p.waitFor(1, TimeUnit.SECONDS))) {
            long size = Files.size(log);
            if (size != lastSize) {
                lastSize = size;
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > STALL.toNanos()) {
                stalled = true;
                break;
            }
        }
        if (!exited) p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        String out = Files.readString(log);
        new File(log.toString()).delete();
        assertFalse(stalled, "child JVM hung: no cycle completed for " + STALL.toSeconds() + " s; output:\n" + out);
        assertEquals(0, p.exitValue(), "child JVM failed; output:\n" + out);
        assertTrue(out.contains("30 cycles done"), out);
    }
}
