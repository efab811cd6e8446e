package io.uffdgc.gc;

/** How a cycle marks (and plans); independent of how it compacts ({@link Mode}). */
public enum Marking {
    /**
     * Beside the mutators, snapshot at the beginning: three short pauses (begin, remark,
     * flip), each proportional to mutators, roots and what was allocated since remark,
     * not to the heap. Mutators pay a write barrier while marking runs.
     */
    CONCURRENT,
    /** Inside the flip pause, as the first version did: the baseline for research. */
    STOP_THE_WORLD
}
