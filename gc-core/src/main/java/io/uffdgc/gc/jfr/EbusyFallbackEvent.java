package io.uffdgc.gc.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

@Name("io.uffdgc.EbusyFallback")
@Label("uffdgc EBUSY Fallback")
@Category("uffdgc")
@Description("A cycle in which UFFDIO_MOVE refused pages with EBUSY (pinned or shared source) and COPY installed them")
public final class EbusyFallbackEvent extends jdk.jfr.Event {
    @Label("Heap") public String heap;
    @Label("Cycle") public long cycle;
    @Label("Pages") public long pages;
}
