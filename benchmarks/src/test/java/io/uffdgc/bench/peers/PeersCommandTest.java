package io.uffdgc.bench.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.uffdgc.bench.workload.ObjectMix;
import io.uffdgc.bench.workload.SurvivalPattern;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** scripts/bench peers shares the workload options of the compaction run; its collectors are converted by label. */
class PeersCommandTest {
    static PeersCommand parse(String... args) {
        PeersCommand c = new PeersCommand();
        new CommandLine(c).parseArgs(args);
        return c;
    }

    @Test
    void noOptionsIsTheDefaultRun() {
        PeersCommand c = parse();
        assertEquals(new PeerWorkload(1L << 30, 0.5, SurvivalPattern.UNIFORM, ObjectMix.DEFAULT, 0.6, 2, 16, 2, 20,
                20261122, PeerWorkload.UffdgcTuning.DEFAULT), c.workload());
        assertEquals(List.of(Peer.G1, Peer.ZGC, Peer.SHENANDOAH, Peer.UFFDGC_MOVE), c.collectors);
    }

    @Test
    void sharedOptionsAndCollectorsAreConverted() {
        PeersCommand c = parse("--heap", "256m", "--live", "0.25", "--pattern", "clustered", "--mutators", "3",
                "--seed", "9", "--collectors", "ZGC,uffdgc-move", "--occupancy", "0.6", "--compactors", "2",
                "--fault-threads", "2", "--run-pages", "16", "--dense-percent", "0", "--huge-pages", "--policy", "fragmentation");
        assertEquals(new PeerWorkload(256L << 20, 0.25, SurvivalPattern.CLUSTERED, ObjectMix.DEFAULT, 0.6, 3, 16, 2, 20,
                9, new PeerWorkload.UffdgcTuning(0.6, 2, 2, 16, 0, true, PolicyChoice.FRAGMENTATION)), c.workload());
        assertEquals(List.of(Peer.ZGC, Peer.UFFDGC_MOVE), c.collectors);
        assertThrows(CommandLine.ParameterException.class, () -> parse("--collectors", "g1,parallel"));
    }
}
