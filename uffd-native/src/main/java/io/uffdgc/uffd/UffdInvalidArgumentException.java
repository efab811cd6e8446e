package io.uffdgc.uffd;

/** EINVAL: the kernel rejected the arguments, or a check in Java found what it would reject. */
public class UffdInvalidArgumentException extends UffdException {
    @java.io.Serial
    private static final long serialVersionUID = 1L;

    public UffdInvalidArgumentException(String operation, long dst, long src, long len, long done, String why) {
        super(operation, Errno.EINVAL, dst, src, len, done, why);
    }
}
