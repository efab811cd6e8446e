package io.uffdgc.bench.peers;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs one peer in a child JVM: the parent's own java binary and class path, the
 * peer's flags, a safepoint log in a temporary directory; output to files (no pipe
 * can fill up and block the child). A child that outlives its timeout is killed and
 * reported as failed, as is one that exits non-zero or prints no figures.
 */
final class ChildJvm {
    private ChildJvm() {}

    /** The outcome of one child: figures, or why there are none. */
    record Outcome(Peer peer, PeerFigures figures, String failure, double wallSeconds) {
        boolean ok() { return figures != null; }
    }

    static Outcome run(Peer peer, PeerWorkload w, Duration timeout) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("uffdgc-peers-");
        long t0 = System.nanoTime();
        try {
            Path out = dir.resolve("stdout"), err = dir.resolve("stderr");
            Process p = new ProcessBuilder(command(peer, w, dir.resolve("safepoints.log")))
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            boolean exited = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!exited) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
            double wall = (System.nanoTime() - t0) / 1e9;
            if (!exited) return failed(peer, "killed after the hard timeout of " + timeout.toSeconds() + " s", wall);
            if (p.exitValue() != 0) return failed(peer, "exit " + p.exitValue() + ": " + tail(err), wall);
            String json = Files.readAllLines(out).stream().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElse(null);
            if (json == null) return failed(peer, "printed no figures; stderr: " + tail(err), wall);
            try {
                return new Outcome(peer, PeerFigures.JSON.readValue(json, PeerFigures.class), "", wall);
            } catch (JsonProcessingException e) {
                return failed(peer, "printed unreadable figures (" + e.getOriginalMessage() + "): " + json, wall);
            }
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    static List<String> command(Peer peer, PeerWorkload w, Path safepointLog) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(peer.jvmFlags(w));
        cmd.addAll(SafepointLog.jvmFlags(safepointLog));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), PeerChild.class.getName(), peer.world()));
        cmd.addAll(w.toArgs());
        return cmd;
    }

    private static Outcome failed(Peer peer, String why, double wall) {
        return new Outcome(peer, null, why, wall);
    }

    /** The last lines of a child's stderr, for a failure message. */
    private static String tail(Path err) throws IOException {
        List<String> lines = Files.readAllLines(err);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    }
}
