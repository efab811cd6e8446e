package io.uffdgc.bench.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.uffdgc.bench.workload.ObjectMix;
import io.uffdgc.bench.workload.SurvivalPattern;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import io.uffdgc.uffd.UffdFeatures;
import io.uffdgc.uffd.Userfaultfd;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One Java collector and ours, each in a real child JVM on a small heap for 2 s: both
 * must come back with figures that hang together. The graph is built to 74% of the
 * heap, just under uffdgc's 75% trigger, so the churn must set off at least one MOVE
 * cycle whose pause is measured.
 */
class PeerChildrenTest {
    static final PeerWorkload W = new PeerWorkload(64L << 20, 0.5, SurvivalPattern.UNIFORM, ObjectMix.DEFAULT, 0.74,
            2, 16, 0.5, 2, 7, PeerWorkload.UffdgcTuning.DEFAULT);
    static final Duration CHILD_TIMEOUT = Duration.ofSeconds(40);

    @Test
    @Timeout(value = 100, unit = TimeUnit.SECONDS)
    void bothWorldsReturnSaneFigures() throws Exception {
        try (Userfaultfd uffd = Userfaultfd.open()) {
            Assumptions.assumeTrue(uffd.features().has(UffdFeatures.Feature.MOVE),
                    () -> "kernel lacks UFFD_FEATURE_MOVE (Linux 6.8+): " + System.getProperty("os.version"));
        }
        ChildJvm.Outcome g1 = ChildJvm.run(Peer.G1, W, CHILD_TIMEOUT);
        ChildJvm.Outcome ours = ChildJvm.run(Peer.UFFDGC_MOVE, W, CHILD_TIMEOUT);
        assertTrue(g1.ok(), "g1 child failed: " + g1.failure());
        assertTrue(ours.ok(), "uffdgc child failed: " + ours.failure());
        for (ChildJvm.Outcome o : new ChildJvm.Outcome[] {g1, ours}) {
            PeerFigures f = o.figures();
            String who = o.peer().label() + ": " + f;
            assertTrue(f.seconds() >= W.seconds() && f.seconds() < W.seconds() + 1, who);
            assertTrue(f.ops() > 10_000, who);
            assertEquals(f.ops() / f.seconds(), f.opsPerSecond(), 1e-6 * f.opsPerSecond(), who);
            assertTrue(f.opLatencyUs().p50() > 0 && f.opLatencyUs().p50() <= f.opLatencyUs().p99()
                    && f.opLatencyUs().p99() <= f.opLatencyUs().max(), who);
            assertTrue(f.pauses().p50Ms() <= f.pauses().p99Ms() && f.pauses().p99Ms() <= f.pauses().maxMs(), who);
            // The kernel's RSS counters are per-CPU caches synced lazily: a sample may exceed a later VmHWM by a few pages.
            assertTrue(f.vmRssKib() > 0 && f.vmRssKib() <= f.vmRssMaxKib() && f.vmRssMaxKib() <= f.vmHwmKib() + 1024, who);
            // The graph alone is 0.74 * 64 MiB of allocation with half of it live: far above zero resident.
            assertTrue(f.vmRssKib() > (W.buildBytes() * W.live() / 1024), who);
        }
        assertEquals("java-heap", g1.figures().world());
        assertEquals("G1", g1.figures().gc());
        assertEquals(g1.figures().pauses(), g1.figures().jvmSafepoints());
        PeerFigures f = ours.figures();
        assertEquals("uffdgc-heap", f.world());
        assertTrue(f.pauses().count() >= 1 && f.pauses().maxMs() > 0, "no measured MOVE cycle: " + f);
        long cycles = f.collections().get("cycles");
        assertEquals(cycles, f.collections().values().stream().mapToLong(Long::longValue).sum() / 2,
                "cycles counted twice (total and by trigger): " + f.collections());
        // Concurrent marking (the default): MARK_BEGIN, REMARK, TAIL and FLIP, each a pause of its own; a cycle for a
        // failed allocation (the policy was late, e.g. on a loaded machine) marks inside its one FLIP pause.
        long inPause = f.collections().getOrDefault("cycles_move_allocation_failure", 0L);
        assertEquals(4 * (cycles - inPause) + inPause, f.pauses().count(), "four pauses per concurrent cycle: " + f);
        assertTrue(((Number) f.details().get("heap_resident_mib_end")).longValue() > 0, f.toString());
        // Same seed, same shapes and fates: the Java graph holds as many live objects as ours, give or take
        // where each build stopped (ours counts TLAB waste as allocated).
        double diff = Math.abs(g1.figures().liveObjects() - f.liveObjects()) / (double) f.liveObjects();
        assertTrue(diff < 0.02, "live objects " + g1.figures().liveObjects() + " vs " + f.liveObjects());
    }
}
