package io.uffdgc.gc.jfr;

import io.uffdgc.gc.CycleStats;
import io.uffdgc.gc.observe.PhaseSpan;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Timespan;

@Name("io.uffdgc.CompactionWindow")
@Label("uffdgc Compaction Window")
@Description("MOVE and COPY: pages compacted while the mutators run, from their resumption until the last compactor returned")
public final class WindowEvent extends CycleEventBase {
    @Label("Mode") public String mode;
    @Label("Pages Compacted") public long pagesCompacted;
    @Label("Pages By Faults") public long pagesByFaults;
    @Label("Pages Moved") public long pagesMoved;
    @Label("Pages Copied") public long pagesCopied;
    @Label("Pages Zeroed") public long pagesZeroed;
    @Label("Faults Served") public long faultsServed;
    @Label("Fault Stall p99") @Timespan(Timespan.NANOSECONDS) public long faultStallP99;
    @Label("Fault Stall Max") @Timespan(Timespan.NANOSECONDS) public long faultStallMax;

    @Override
    public void fill(CycleStats s, PhaseSpan span) {
        mode = s.mode().name();
        pagesCompacted = s.pages().compacted();
        pagesByFaults = s.pages().byFaults();
        pagesMoved = s.pages().moved();
        pagesCopied = s.pages().copied();
        pagesZeroed = s.pages().zeroed();
        faultsServed = s.faults().served();
        var h = s.faults().serviceNanos();
        faultStallP99 = h.getValueAtPercentile(99);
        faultStallMax = h.getMaxValue();
    }
}
