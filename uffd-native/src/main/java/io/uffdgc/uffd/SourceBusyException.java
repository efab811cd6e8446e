package io.uffdgc.uffd;

/**
 * EBUSY from MOVE: a source page is pinned or not exclusive to this process (shared
 * copy-on-write with a forked child, or merged by KSM). COPY the page instead, and
 * mark sources MADV_DONTFORK.
 */
public final class SourceBusyException extends UffdException {
    @java.io.Serial
    private static final long serialVersionUID = 1L;

    public SourceBusyException(String operation, long dst, long src, long len, long done) {
        super(operation, Errno.EBUSY, dst, src, len, done, "source page pinned or shared (fork/KSM)");
    }
}
