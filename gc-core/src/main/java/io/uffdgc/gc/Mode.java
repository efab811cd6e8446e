package io.uffdgc.gc;

import io.uffdgc.uffd.gen.Uffdgc;

/** How a cycle compacts. */
public enum Mode {
    /** Concurrent: pages compacted into consumed from-space pages and installed with UFFDIO_MOVE, in runs. */
    MOVE(Uffdgc.UGC_MODE_MOVE()),
    /** Concurrent: pages compacted into scratch memory and installed with UFFDIO_COPY. */
    COPY(Uffdgc.UGC_MODE_COPY()),
    /** Every page compacted inside the pause; no userfaultfd. The baseline and the last fallback. */
    STW(Uffdgc.UGC_MODE_STW()),
    /** MOVE where the kernel grants it, else COPY, else STW (the collector says why, once). */
    AUTO(-1);

    private final int nativeMode;

    Mode(int nativeMode) { this.nativeMode = nativeMode; }

    /** The engine's UGC_MODE_* value; AUTO has none. */
    public int nativeMode() {
        if (this == AUTO) throw new IllegalStateException("AUTO is resolved to a concrete mode before a cycle");
        return nativeMode;
    }

    public boolean concurrent() { return this == MOVE || this == COPY; }
}
