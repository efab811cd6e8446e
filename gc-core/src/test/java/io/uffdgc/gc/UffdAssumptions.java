package io.uffdgc.gc;

import io.uffdgc.gc.mode.ModeSupport;
import io.uffdgc.uffd.UffdUnavailableException;
import io.uffdgc.uffd.Userfaultfd;
import org.junit.jupiter.api.Assumptions;

/**
 * What a test needs of the kernel: a test that runs MOVE cycles is skipped, with the
 * reason, on a kernel that cannot run them (before Linux 6.8), instead of failing.
 * Decided as the collector decides it ({@link ModeSupport#probe}), once per test JVM.
 */
final class UffdAssumptions {
    private static final ModeSupport SUPPORT = probe();

    private UffdAssumptions() {}

    /** Skips the calling test unless MOVE cycles run here. */
    static void assumeMove() {
        Assumptions.assumeTrue(SUPPORT.available().contains(Mode.MOVE), () -> "kernel lacks UFFD_FEATURE_MOVE (Linux 6.8+): "
                + System.getProperty("os.version") + " (" + SUPPORT.reason() + ")");
    }

    /** Skips the calling test, run in mode, unless that mode runs here (only MOVE needs more than the others). */
    static void assumeMode(Mode mode) {
        if (mode == Mode.MOVE) assumeMove();
    }

    private static ModeSupport probe() {
        try (Userfaultfd uffd = Userfaultfd.open()) {
            return ModeSupport.probe(uffd, null);
        } catch (UffdUnavailableException e) {
            return ModeSupport.probe(null, e.getMessage());
        }
    }
}
