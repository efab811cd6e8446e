package io.uffdgc.gc.jfr;

import io.uffdgc.gc.CycleStats;
import io.uffdgc.gc.observe.PhaseSpan;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

@Name("io.uffdgc.Compactor")
@Label("uffdgc Compactor")
@Description("One compactor thread's share of a compaction window (one native downcall), committed on that thread")
public final class CompactorEvent extends CycleEventBase {
    @Label("Worker") public int worker;
    @Label("Pages") public long pages;

    @Override
    public void fill(CycleStats s, PhaseSpan span) { pages = span.pages(); }
}
