package io.uffdgc.gc.jfr;

import io.uffdgc.gc.CycleStats;
import io.uffdgc.gc.observe.PhaseSpan;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

@Name("io.uffdgc.Finish")
@Label("uffdgc Finish")
@Description("MOVE and COPY: pages the compactors left, unregistering the heap, releasing from-space")
public final class FinishEvent extends CycleEventBase {
    @Label("Resident After") @DataAmount public long residentAfter;

    @Override
    public void fill(CycleStats s, PhaseSpan span) { residentAfter = s.memory().heapResidentAfter(); }
}
