package io.uffdgc.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The JVM safepoint rule with the real collector: a child JVM runs cycles while its
 * mutators fault and a thread calls System.gc() in a loop. A Java thread resolving
 * faults would deadlock it; the child gets a hard kill after a timeout so a hang
 * fails the test instead of holding the build.
 */
class JvmSafepointTest {
    @Test
    void cyclesCompleteWhileTheJvmReachesSafepoints() throws Exception {
        UffdAssumptions.assumeMove(); // the child runs MOVE and COPY cycles
        Path log = Files.createTempFile("safepoint-child", ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = List.of(java, "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                "-Xmx512m", "-cp", System.getProperty("java.class.path"), SafepointChild.class.getName(), "30");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        // Concurrent marking makes three heap safepoints per cycle, each waiting for mutators that
        // System.gc() keeps stopping: 30 cycles took ~80 s on a loaded 2-core machine (load 7-8).
        boolean exited = p.waitFor(180, TimeUnit.SECONDS);
        if (!exited) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String out = Files.readString(log);
        new File(log.toString()).delete();
        assertTrue(exited, "child JVM hung (killed after 180 s); output:\n" + out);
        assertEquals(0, p.exitValue(), "child JVM failed; output:\n" + out);
        assertTrue(out.contains("30 cycles done"), out);
    }
}
