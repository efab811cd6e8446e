package io.uffdgc.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.uffdgc.outsider.SealedApiProbe;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What only the collector or a test may touch is out of an embedder's reach: a child JVM
 * puts uffdgc's three modules on the module path and runs {@link SealedApiProbe} as
 * ordinary code in the unnamed module. The probe must get the public API working (so the
 * run is real) and find every sealed part sealed.
 */
class SealedApiTest {
    private static final List<String> SEALED = List.of(
            "io.uffdgc.heap.internal.HeapInternals.of",
            "io.uffdgc.uffd.gen.Uffdgc.ugc_page_size",
            "io.uffdgc.uffd.gen.testing.UffdgcTesting.ugc_inject_clear",
            "io.uffdgc.gc.engine.NativeEngine.create",
            "io.uffdgc.heap.Heap.resetTop",
            "io.uffdgc.heap.Heap.setLiveBytes",
            "io.uffdgc.heap.Heap.segment",
            "io.uffdgc.heap.Heap.descriptor",
            "io.uffdgc.heap.Heap.handles",
            "io.uffdgc.heap.internal.HandleTable.issue",
            "io.uffdgc.heap.Mutator.offsetOf");

    @Test
    void anOutsiderOnTheModulePathReachesOnlyThePublicApi() throws Exception {
        UffdAssumptions.assumeMove(); // the probe's public-API run is a MOVE cycle
        List<String> modules = new ArrayList<>(), others = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            boolean ours = e.matches(".*/(uffd-native|heap|gc-core)(/target/classes|-[^/]*\\.jar)$");
            boolean theirs = e.contains("HdrHistogram") || e.contains("agrona");
            (ours || theirs ? modules : others).add(e);
        }
        assertEquals(5, modules.size(), "uffd-native, heap, gc-core, HdrHistogram, Agrona in " + modules);
        String testClasses = others.stream().filter(e -> e.endsWith("test-classes")).findFirst().orElseThrow();
        Path log = Files.createTempFile("sealed-probe", ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = List.of(java,
                "--enable-native-access=io.uffdgc.uffd,io.uffdgc.heap,io.uffdgc.gc", "--sun-misc-unsafe-memory-access=allow",
                "-Duffdgc.native.variant=" + System.getProperty("uffdgc.native.variant", ""), "-Xmx256m",
                "--module-path", String.join(File.pathSeparator, modules), "--add-modules", "io.uffdgc.gc",
                "-cp", testClasses, SealedApiProbe.class.getName());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean exited = p.waitFor(120, TimeUnit.SECONDS);
        if (!exited) p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        String out = Files.readString(log);
        Files.delete(log);
        assertTrue(exited, "probe JVM hung; output:\n" + out);
        assertEquals(0, p.exitValue(), "probe JVM failed; output:\n" + out);
        assertTrue(out.contains("PUBLIC API OK MOVE"), out);
        assertTrue(out.contains("PROBE DONE"), out);
        List<String> verdicts = Arrays.stream(out.split("\n"))
                .filter(l -> l.startsWith("SEALED ") || l.startsWith("OPEN ") || l.startsWith("MISSING "))
                .map(l -> l.replaceAll(" \\(.*", "")).collect(Collectors.toList());
        assertEquals(SEALED.stream().map(s -> "SEALED " + s).toList(), verdicts, out);
    }
}
