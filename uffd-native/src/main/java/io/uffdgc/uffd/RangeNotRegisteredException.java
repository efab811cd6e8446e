package io.uffdgc.uffd;

/** The destination range is not inside one range registered with this userfaultfd (checked in Java). */
public final class RangeNotRegisteredException extends UffdInvalidArgumentException {
    @java.io.Serial
    private static final long serialVersionUID = 1L;

    public RangeNotRegisteredException(String operation, long dst, long src, long len) {
        super(operation, dst, src, len, 0, "destination not inside a range registered with this userfaultfd");
    }
}
