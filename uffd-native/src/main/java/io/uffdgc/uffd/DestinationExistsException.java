package io.uffdgc.uffd;

/** EEXIST: a destination page is already mapped, e.g. another thread resolved the fault first. */
public final class DestinationExistsException extends UffdException {
    @java.io.Serial
    private static final long serialVersionUID = 1L;

    public DestinationExistsException(String operation, long dst, long src, long len, long done) {
        super(operation, Errno.EEXIST, dst, src, len, done, "destination page already mapped");
    }
}
