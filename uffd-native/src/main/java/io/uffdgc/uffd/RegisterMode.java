package io.uffdgc.uffd;

import io.uffdgc.uffd.gen.Uffdgc;

/** How a registered range reports faults ({@code UFFDIO_REGISTER_MODE_*}). */
public enum RegisterMode {
    /** A missing page blocks the accessing thread until it is filled. */
    MISSING(Uffdgc.UFFDIO_REGISTER_MODE_MISSING()),
    /** A write to a write-protected page blocks until it is unprotected. */
    WP(Uffdgc.UFFDIO_REGISTER_MODE_WP());

    final long bit;

    RegisterMode(long bit) { this.bit = bit; }
}
