package io.uffdgc.bench.workload;

import static org.junit.jupiter.api.Assertions.*;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SurvivalPatternTest {
    @Test
    void bothPatternsKeepTheRequestedLiveShare() {
        for (SurvivalPattern p : SurvivalPattern.values()) {
            for (double live : new double[] {0.1, 0.5, 0.9}) {
                var fates = p.fates(live, new SplittableRandom(7));
                int n = 400_000, alive = 0;
                for (int i = 0; i < n; i++) if (fates.next()) alive++;
                assertEquals(live, alive / (double) n, 0.02, p + " at " + live);
            }
        }
    }

    @Test
    void clusteredFatesComeInRuns() {
        var fates = SurvivalPattern.CLUSTERED.fates(0.5, new SplittableRandom(1));
        int changes = 0, n = 100_000;
        boolean prev = fates.next();
        for (int i = 1; i < n; i++) {
            boolean f = fates.next();
            if (f != prev) changes++;
            prev = f;
        }
        // Runs average 64 objects, half of the run boundaries change fate: ~n/128 changes.
        assertTrue(changes < n / 50, "changes " + changes);
        var uniform = SurvivalPattern.UNIFORM.fates(0.5, new SplittableRandom(1));
        int uchanges = 0;
        prev = uniform.next();
        for (int i = 1; i < n; i++) {
            boolean f = uniform.next();
            if (f != prev) uchanges++;
            prev = f;
        }
        assertTrue(uchanges > n / 3, "uniform changes " + uchanges);
    }

    @Test
    void mixSharesMustAddUp() {
        assertThrows(IllegalArgumentException.class, () -> new ObjectMix(0.5, 0.1, 0.1));
        assertEquals(ObjectMix.DEFAULT, ObjectMix.parse("records=0.85,refarrays=0.10,bytearrays=0.05"));
        assertThrows(IllegalArgumentException.class, () -> ObjectMix.parse("recs=1"));
    }
}
