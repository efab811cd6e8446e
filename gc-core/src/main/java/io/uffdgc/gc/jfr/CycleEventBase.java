package io.uffdgc.gc.jfr;

import io.uffdgc.gc.CycleStats;
import io.uffdgc.gc.observe.PhaseSpan;
import jdk.jfr.Category;
import jdk.jfr.Label;

/**
 * What every event of a cycle carries: the heap and the cycle number. A phase's event is
 * begun and ended by the collector at the phase's own start and end (JFR has no public way
 * to set an event's time afterwards), and committed once the cycle's statistics exist, so
 * its fields are the figures of {@link CycleStats}.
 */
@Category("uffdgc")
public abstract class CycleEventBase extends jdk.jfr.Event {
    @Label("Heap")
    public String heap;

    @Label("Cycle")
    public long cycle;

    /** Fills the fields from the finished cycle; span is the phase this event timed. */
    public abstract void fill(CycleStats stats, PhaseSpan span);
}
