/**
 * userfaultfd for Java: a safe {@code Userfaultfd} API and memory mapping
 * ({@code io.uffdgc.uffd}), and a native fault service whose threads never attach to the JVM
 * ({@code io.uffdgc.uffd.service}).
 *
 * <p>The jextract bindings ({@code io.uffdgc.uffd.gen}) reach raw memory and every native
 * entry point, so they are exported to this project's own modules only; the test knobs
 * ({@code io.uffdgc.uffd.gen.testing}) to none (tests run on the class path). On the module
 * path no other module can reach either; on the class path Java enforces no module boundary.
 */
module io.uffdgc.uffd {
    requires transitive HdrHistogram;   // FaultService hands out Histograms
    requires org.agrona;                // FaultLog keeps its columns in LongArrayLists

    exports io.uffdgc.uffd;
    exports io.uffdgc.uffd.service;
    exports io.uffdgc.uffd.gen to io.uffdgc.heap, io.uffdgc.gc;
}
