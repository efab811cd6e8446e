package io.uffdgc.uffd;

/** ENOENT from COPY/ZEROPAGE: the destination mapping is gone or no longer registered with this fd. */
public final class DestinationUnavailableException extends UffdException {
    @java.io.Serial
    private static final long serialVersionUID = 1L;

    public DestinationUnavailableException(String operation, long dst, long src, long len, long done) {
        super(operation, Errno.ENOENT, dst, src, len, done,
                "destination is not (or no longer) a mapping registered with this userfaultfd");
    }
}
