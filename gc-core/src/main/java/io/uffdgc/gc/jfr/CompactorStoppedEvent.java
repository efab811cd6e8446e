package io.uffdgc.gc.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

@Name("io.uffdgc.CompactorStopped")
@Label("uffdgc Compactor Stopped")
@Category("uffdgc")
@Description("A compactor stopped early or failed: its pages were left for finish, or the cycle failed")
public final class CompactorStoppedEvent extends jdk.jfr.Event {
    @Label("Heap") public String heap;
    @Label("Cycle") public long cycle;
    @Label("Calls Stopped Early") public long abandoned;
    @Label("Install Errors") public long errors;
    @Label("Last Errno") public int lastErrno;
    @Label("Failure") public String failure;
}
