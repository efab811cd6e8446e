package io.uffdgc.gc.mode;

import io.uffdgc.gc.Mode;
import io.uffdgc.uffd.Memory;
import io.uffdgc.uffd.Registration;
import io.uffdgc.uffd.UffdFeatures;
import io.uffdgc.uffd.Userfaultfd;
import java.util.EnumSet;
import java.util.Set;

/**
 * Which modes this process can run, found once when the collector attaches: a
 * userfaultfd must open (COPY), and for MOVE the kernel must grant UFFD_FEATURE_MOVE
 * and offer the MOVE ioctl on a registered range (probed on a scratch page).
 *
 * @param available the modes that work here (STW always)
 * @param reason    one line saying why AUTO picks what it picks
 */
public record ModeSupport(Set<Mode> available, String reason) {
    public ModeSupport {
        available = Set.copyOf(available);
    }

    /** What AUTO means here: the best available mode. */
    public Mode auto() {
        return available.contains(Mode.MOVE) ? Mode.MOVE : available.contains(Mode.COPY) ? Mode.COPY : Mode.STW;
    }

    /** Probes uffd (null: no userfaultfd could be opened, openError says why). */
    public static ModeSupport probe(Userfaultfd uffd, String openError) {
        if (uffd == null)
            return new ModeSupport(EnumSet.of(Mode.STW), "AUTO = STW: no userfaultfd (" + openError + ")");
        if (!uffd.features().has(UffdFeatures.Feature.MOVE))
            return new ModeSupport(EnumSet.of(Mode.COPY, Mode.STW),
                    "AUTO = COPY: the kernel did not grant UFFD_FEATURE_MOVE (Linux 6.8+)");
        long page = Memory.pageSize();
        long probe = Memory.reserve(page, page);
        try {
            Registration r = uffd.register(probe, page);
            uffd.unregister(probe, page);
            if (!r.allows(UffdFeatures.Ioctl.MOVE))
                return new ModeSupport(EnumSet.of(Mode.COPY, Mode.STW),
                        "AUTO = COPY: UFFD_FEATURE_MOVE granted but a registered range offers no UFFDIO_MOVE");
        } finally {
            Memory.unmap(probe, page);
        }
        return new ModeSupport(EnumSet.of(Mode.MOVE, Mode.COPY, Mode.STW),
                "AUTO = MOVE: UFFD_FEATURE_MOVE granted and UFFDIO_MOVE offered (" + uffd.openedWith() + ")");
    }
}
