package io.uffdgc.gc.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

@Name("io.uffdgc.ModeFallback")
@Label("uffdgc Mode Fallback")
@Category("uffdgc")
@Description("At attach, the collector could not have what it would use by preference (MOVE, or SIGBUS fault handling) and fell back")
public final class ModeFallbackEvent extends jdk.jfr.Event {
    @Label("Heap") public String heap;
    @Label("Wanted") public String wanted;
    @Label("Using") public String using;
    @Label("Reason") public String reason;
}
