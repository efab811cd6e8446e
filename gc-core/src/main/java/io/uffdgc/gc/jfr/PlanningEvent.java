package io.uffdgc.gc.jfr;

import io.uffdgc.gc.CycleStats;
import io.uffdgc.gc.observe.PhaseSpan;
import io.uffdgc.uffd.gen.ugc_gc_stats;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

@Name("io.uffdgc.Planning")
@Label("uffdgc Planning")
@Description("Forwarding and the per-page plan: concurrent after REMARK (around the TAIL pause), or inside the FLIP pause")
public final class PlanningEvent extends CycleEventBase {
    @Label("Used Before") @DataAmount public long usedBefore;
    @Label("Used After") @DataAmount public long usedAfter;
    @Label("To-space Pages") public long pages;
    @Label("Planned In Flip") @DataAmount public long tailBytes;
    @Label("Tail Planned Concurrently") @DataAmount public long tailAheadBytes;

    @Override
    public void fill(CycleStats s, PhaseSpan span) {
        usedBefore = s.memory().usedBefore();
        usedAfter = s.memory().usedAfter();
        pages = s.engine().get(ugc_gc_stats::pages_total);
        tailBytes = s.engine().get(ugc_gc_stats::tail_bytes);
        tailAheadBytes = s.engine().get(ugc_gc_stats::tail_ahead_bytes);
    }
}
