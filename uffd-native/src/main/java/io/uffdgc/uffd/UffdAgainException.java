package io.uffdgc.uffd;

/**
 * EAGAIN with no progress: the address space is changing under the call (a
 * non-cooperative event such as EVENT_REMOVE is pending until read). EAGAIN after
 * partial progress never surfaces: the native wrapper resumes from where it stopped.
 */
public final class UffdAgainException extends UffdException {
    @java.io.Serial
    private static final long serialVersionUID = 1L;

    public UffdAgainException(String operation, long dst, long src, long len, long done) {
        super(operation, Errno.EAGAIN, dst, src, len, done, "address space changing (a pending event must be read first)");
    }
}
