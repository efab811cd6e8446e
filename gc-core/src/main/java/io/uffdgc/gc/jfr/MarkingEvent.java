package io.uffdgc.gc.jfr;

import io.uffdgc.gc.CycleStats;
import io.uffdgc.gc.observe.PhaseSpan;
import io.uffdgc.uffd.gen.ugc_gc_stats;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

@Name("io.uffdgc.Marking")
@Label("uffdgc Marking")
@Description("Marking the live objects: concurrent between the MARK_BEGIN and REMARK pauses, or inside the FLIP pause")
public final class MarkingEvent extends CycleEventBase {
    @Label("Concurrent") public boolean concurrent;
    @Label("Live") @DataAmount public long liveBytes;
    @Label("Live Objects") public long liveObjects;
    @Label("Barrier Logged") public long satbLogged;
    @Label("Allocated Black") @DataAmount public long blackBytes;

    @Override
    public void fill(CycleStats s, PhaseSpan span) {
        concurrent = s.marking() == io.uffdgc.gc.Marking.CONCURRENT;
        liveBytes = s.memory().liveBytes();
        liveObjects = s.memory().liveObjects();
        satbLogged = s.engine().get(ugc_gc_stats::satb_logged);
        blackBytes = s.engine().get(ugc_gc_stats::black_bytes);
    }
}
