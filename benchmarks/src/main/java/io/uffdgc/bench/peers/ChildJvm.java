package io.uffdgc.bench.peers;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.uffdgc.bench.child.ChildProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one peer in a child JVM ({@link ChildProcess}): the parent's own java binary and
 * class path, the peer's flags, a safepoint log in the child's directory; its JSON line
 * read back as {@link PeerFigures}.
 */
final class ChildJvm {
    private ChildJvm() {}

    /** The outcome of one child: figures, or why there are none. */
    record Outcome(Peer peer, PeerFigures figures, String failure, double wallSeconds) {
        boolean ok() { return figures != null; }
    }

    static Outcome run(Peer peer, PeerWorkload w, Duration timeout) throws IOException, InterruptedException {
        ChildProcess.Result r = ChildProcess.run(dir -> command(peer, w, dir.resolve("safepoints.log")), timeout);
        if (!r.ok()) return new Outcome(peer, null, r.failure(), r.wallSeconds());
        try {
            return new Outcome(peer, PeerFigures.JSON.readValue(r.json(), PeerFigures.class), "", r.wallSeconds());
        } catch (JsonProcessingException e) {
            return new Outcome(peer, null, "printed unreadable figures (" + e.getOriginalMessage() + "): " + r.json(),
                    r.wallSeconds());
        }
    }

    static List<String> command(Peer peer, PeerWorkload w, Path safepointLog) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ChildProcess.thisJava());
        cmd.addAll(peer.jvmFlags(w));
        cmd.addAll(SafepointLog.jvmFlags(safepointLog));
        cmd.addAll(ChildProcess.extraFlags());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), PeerChild.class.getName(), peer.world()));
        cmd.addAll(w.toArgs());
        return cmd;
    }
}
