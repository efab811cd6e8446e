package io.uffdgc.bench.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.uffdgc.bench.workload.ObjectMix;
import io.uffdgc.bench.workload.SurvivalPattern;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PeerWorkloadTest {
    static final PeerWorkload W = new PeerWorkload(64L << 20, 0.4, SurvivalPattern.CLUSTERED,
            new ObjectMix(0.8, 0.15, 0.05), 0.7, 3, 5, 0.25, 1.5, 42,
            new PeerWorkload.UffdgcTuning(0.6, 2, 2, 16, 80, true, PolicyChoice.ALLOCATION_RATE));

    @Test
    void argumentsRoundTrip() {
        assertEquals(W, PeerWorkload.fromArgs(W.toArgs()));
    }

    @Test
    void aMissingKeyIsNamed() {
        List<String> args = new ArrayList<>(W.toArgs());
        args.removeIf(a -> a.startsWith("--seconds="));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PeerWorkload.fromArgs(args));
        assertTrue(e.getMessage().contains("--seconds"), e.getMessage());
    }

    @Test
    void badValuesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> PeerWorkload.fromArgs(List.of("seconds=3")));
        assertThrows(IllegalArgumentException.class, () -> new PeerWorkload(1L << 20, 0.5, SurvivalPattern.UNIFORM,
                ObjectMix.DEFAULT, 0.6, 2, 0, 1, 1, 1, PeerWorkload.UffdgcTuning.DEFAULT));
        assertThrows(IllegalArgumentException.class, () -> new PeerWorkload(64L << 20, 0.5, SurvivalPattern.UNIFORM,
                ObjectMix.DEFAULT, 1.0, 2, 0, 1, 1, 1, PeerWorkload.UffdgcTuning.DEFAULT));
        assertThrows(IllegalArgumentException.class, () -> Peer.parse("parallel"));
    }
}
