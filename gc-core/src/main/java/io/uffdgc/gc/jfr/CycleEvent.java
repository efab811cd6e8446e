package io.uffdgc.gc.jfr;

import io.uffdgc.gc.CycleStats;
import io.uffdgc.gc.observe.PhaseSpan;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Timespan;

@Name("io.uffdgc.Cycle")
@Label("uffdgc Cycle")
@Description("One collection of an off-heap managed heap: mark, plan, flip, compaction, finish")
public final class CycleEvent extends CycleEventBase {
    @Label("Mode") public String mode;
    @Label("Trigger") public String trigger;
    @Label("Marking") public String marking;
    @Label("Pauses") public int pauses;
    @Label("Longest Pause") @Timespan(Timespan.NANOSECONDS) public long longestPause;
    @Label("Live") @DataAmount public long liveBytes;
    @Label("Live Objects") public long liveObjects;
    @Label("Used Before") @DataAmount public long usedBefore;
    @Label("Used After") @DataAmount public long usedAfter;
    @Label("Freed") @DataAmount public long freed;
    @Label("Pages Compacted") public long pagesCompacted;
    @Label("Pages Moved") public long pagesMoved;
    @Label("Pages Copied") public long pagesCopied;
    @Label("Pages Zeroed") public long pagesZeroed;
    @Label("Pages In Place") public long pagesInPlace;
    @Label("Faults Served") public long faultsServed;
    @Label("Resident Before") @DataAmount public long residentBefore;
    @Label("Resident After") @DataAmount public long residentAfter;

    @Override
    public void fill(CycleStats s, PhaseSpan span) {
        mode = s.mode().name();
        trigger = s.trigger().name();
        marking = s.marking().name();
        pauses = s.pauses().size();
        longestPause = s.longestPauseNanos();
        liveBytes = s.memory().liveBytes();
        liveObjects = s.memory().liveObjects();
        usedBefore = s.memory().usedBefore();
        usedAfter = s.memory().usedAfter();
        freed = s.memory().freedBytes();
        pagesCompacted = s.pages().compacted();
        pagesMoved = s.pages().moved();
        pagesCopied = s.pages().copied();
        pagesZeroed = s.pages().zeroed();
        pagesInPlace = s.pages().inPlace();
        faultsServed = s.faults().served();
        residentBefore = s.memory().heapResidentBefore();
        residentAfter = s.memory().heapResidentAfter();
    }
}
