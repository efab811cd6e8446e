package io.uffdgc.uffd.service;

import static org.junit.jupiter.api.Assertions.*;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The rule the whole design rests on: Java threads blocked on userfaults while the JVM
 * runs safepoints (System.gc() in a loop) finish, because faults are served by native
 * threads. Runs in a child JVM with a hard kill, so a deadlock fails instead of hanging.
 */
class SafepointTest {
    private static final int TIMEOUT_SECONDS = 60;

    @Test
    void faultingThreadsFinishWhileSafepointsRun() throws Exception {
        String java = ProcessHandle.current().info().command()
                .orElse(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments())
            if (!a.startsWith("-agentlib:jdwp")) cmd.add(a);
        cmd.addAll(List.of("-Xmx256m", "-cp", System.getProperty("java.class.path"), SafepointChild.class.getName()));
        Path out = Files.createTempFile("safepoint-child", ".log");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            boolean finished = p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (!finished) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                fail("child JVM still running after " + TIMEOUT_SECONDS + " s (safepoint deadlock?), killed:\n"
                        + Files.readString(out));
            }
            String log = Files.readString(out);
            assertEquals(0, p.exitValue(), log);
            assertTrue(log.contains("SAFEPOINT-OK"), log);
            assertFalse(log.contains("WARNING"), "the child printed a warning:\n" + log);
            System.out.print("SafepointTest child: " + log);
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
