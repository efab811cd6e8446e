package io.uffdgc.uffd;

/** The userfaultfd was closed before this call. */
public final class UffdClosedException extends UffdException {
    @java.io.Serial
    private static final long serialVersionUID = 1L;

    public UffdClosedException(String operation) {
        super(operation, Errno.EBADF, 0, 0, 0, 0, "the userfaultfd is closed");
    }
}
