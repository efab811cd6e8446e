package io.uffdgc.bench.child;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs a child JVM of a benchmark that answers with one line of JSON on stdout: output to
 * files in a temporary directory (no pipe can fill up and block the child), which the
 * command may also use (e.g. for a safepoint log). A child that outlives its timeout is
 * killed and reported as failed, as is one that exits non-zero or prints no JSON line.
 */
public final class ChildProcess {
    private ChildProcess() {}

    /** The child's last line starting with '{', or why there is none; the wall time either way. */
    public record Result(String json, String failure, double wallSeconds) {
        public boolean ok() { return json != null; }
    }

    /** What a child needs besides its command: a directory of its own, removed after it exits. */
    @FunctionalInterface
    public interface Command {
        List<String> in(Path dir);
    }

    public static Result run(Command command, Duration timeout) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("uffdgc-child-");
        long t0 = System.nanoTime();
        try {
            Path out = dir.resolve("stdout"), err = dir.resolve("stderr");
            Process p = new ProcessBuilder(command.in(dir)).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            boolean exited = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!exited) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
            double wall = (System.nanoTime() - t0) / 1e9;
            if (!exited) return new Result(null, "killed after the hard timeout of " + timeout.toSeconds() + " s", wall);
            if (p.exitValue() != 0) return new Result(null, "exit " + p.exitValue() + ": " + tail(err), wall);
            String json = Files.readAllLines(out).stream().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElse(null);
            if (json == null) return new Result(null, "printed no figures; stderr: " + tail(err), wall);
            return new Result(json, "", wall);
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    /** The java binary of this JVM: a child runs on the same JDK unless told otherwise. */
    public static String thisJava() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /**
     * Extra flags for every child JVM from the environment, e.g. a profiler:
     * BENCH_CHILD_OPTS="-XX:StartFlightRecording=settings=profile,filename=/tmp/c-%p.jfr".
     */
    public static List<String> extraFlags() {
        String extra = System.getenv("BENCH_CHILD_OPTS");
        return extra == null || extra.isBlank() ? List.of() : List.of(extra.trim().split("\\s+"));
    }

    /** The last lines of a child's stderr, for a failure message. */
    private static String tail(Path err) throws IOException {
        List<String> lines = Files.readAllLines(err);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    }
}
