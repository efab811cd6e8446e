/**
 * The concurrent compacting collector: {@code Collector}, its modes, policies and
 * statistics. {@code io.uffdgc.gc.engine} (the downcalls into the C engine) is not
 * exported: only the collector drives the engine.
 */
module io.uffdgc.gc {
    requires transitive io.uffdgc.heap;
    requires transitive io.uffdgc.uffd;
    requires jdk.jfr;

    exports io.uffdgc.gc;
    exports io.uffdgc.gc.mode;
    exports io.uffdgc.gc.policy;
    exports io.uffdgc.gc.observe;
}
