package io.uffdgc.uffd;

/**
 * A system call made by the native layer failed. Carries the operation, the
 * errno and a description of the arguments, so the message alone says what
 * went wrong and where.
 */
public class NativeCallException extends RuntimeException {
    private final String operation;
    private final int errno;

    public NativeCallException(String operation, int errno, String detail) {
        super(operation + " failed with " + Errno.name(errno) + (detail.isEmpty() ? "" : ": " + detail));
        this.operation = operation;
        this.errno = errno;
    }

    public String operation() { return operation; }

    public int errno() { return errno; }

    public String errnoName() { return Errno.name(errno); }

    /** Throws for a negated-errno return value of a native call; returns rc otherwise. */
    public static long check(long rc, String operation, String detail) {
        if (rc < 0) throw new NativeCallException(operation, (int) -rc, detail);
        return rc;
    }
}
