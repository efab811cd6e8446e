package io.uffdgc.uffd;

/** Options of the ioctls that fill a registered range (COPY, ZEROPAGE, MOVE). */
public enum FillOption {
    /** Do not wake the threads waiting on the filled pages (wake them later with one {@code wake}). */
    DONTWAKE,
    /** MOVE only: skip holes in the source instead of failing with ENOENT. */
    ALLOW_SRC_HOLES
}
