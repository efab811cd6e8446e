package io.uffdgc.gc.jfr;

import io.uffdgc.gc.CyclePause;
import io.uffdgc.gc.CycleStats;
import io.uffdgc.gc.observe.PhaseSpan;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Timespan;

@Name("io.uffdgc.Pause")
@Label("uffdgc Pause")
@Description("A heap safepoint of a cycle (MARK_BEGIN, REMARK, TAIL or FLIP): the managed heap's mutators stopped")
public final class PauseEvent extends CycleEventBase {
    @Label("Kind") public String kind;
    @Label("Time To Safepoint") @Timespan(Timespan.NANOSECONDS) public long timeToSafepoint;

    @Override
    public void fill(CycleStats s, PhaseSpan span) {
        kind = span.phase().name();
        for (CyclePause p : s.pauses())
            if (p.kind().name().equals(kind)) timeToSafepoint = p.timeToSafepointNanos();
    }
}
