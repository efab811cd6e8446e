package io.uffdgc.gc;

/** What one harness mutator does: steps while cycles run, and checks its heap against its model between them. */
interface Workload {
    void step();

    /** Throws AssertionError if the heap differs from the model; returns the objects checked. */
    long verify();
}
