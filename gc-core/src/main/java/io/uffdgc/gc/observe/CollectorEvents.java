package io.uffdgc.gc.observe;

import java.util.List;

/**
 * The names of this collector's JFR events (category uffdgc), for a recording that wants
 * them and nothing else: {@code for (String n : CollectorEvents.NAMES) recording.enable(n);}.
 * A recording with the JDK's settings ({@code default}, {@code profile}) has them on already.
 * JfrEventsTest checks that every event the collector registers is named here.
 */
public final class CollectorEvents {
    private CollectorEvents() {}

    public static final List<String> NAMES = List.of("io.uffdgc.Cycle", "io.uffdgc.Pause", "io.uffdgc.Marking",
            "io.uffdgc.Planning", "io.uffdgc.CompactionWindow", "io.uffdgc.Compactor", "io.uffdgc.Finish",
            "io.uffdgc.CompactorStopped", "io.uffdgc.EbusyFallback", "io.uffdgc.ModeFallback");
}
