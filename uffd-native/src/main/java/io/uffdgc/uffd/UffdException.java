package io.uffdgc.uffd;

/**
 * A userfaultfd call failed, or was refused before reaching the kernel. Carries the
 * errno (the kernel's, or the one the kernel would have returned for a check made in
 * Java), the range {@code [dst, dst+len)} with its source, and the bytes done before
 * the failure: the caller can resume from {@code dst + done()}.
 *
 * <p>{@link #of} picks the subclass that names the errno; catch those, not this.
 */
public class UffdException extends NativeCallException {
    @java.io.Serial
    private static final long serialVersionUID = 1L;

    private final long dst, src, len, done;

    public UffdException(String operation, int errno, long dst, long src, long len, long done, String why) {
        super(operation, errno, describe(dst, src, len, done) + (why.isEmpty() ? "" : ": " + why));
        this.dst = dst;
        this.src = src;
        this.len = len;
        this.done = done;
    }

    public long dst() { return dst; }

    /** Source address (COPY, MOVE), 0 where the call has none. */
    public long src() { return src; }

    public long len() { return len; }

    /** Bytes at the start of the range that were filled before the failure. */
    public long done() { return done; }

    private static String describe(long dst, long src, long len, long done) {
        return "dst " + Memory.range(dst, len) + (src != 0 ? " src 0x" + Long.toHexString(src) : "")
                + " len " + len + ", " + done + " bytes done";
    }

    /** The exception for errno returned by operation ("UFFDIO_MOVE", ...) on this range. */
    public static UffdException of(String operation, int errno, long dst, long src, long len, long done) {
        boolean move = operation.equals("UFFDIO_MOVE");
        return switch (errno) {
            case Errno.EEXIST -> new DestinationExistsException(operation, dst, src, len, done);
            case Errno.ENOENT -> move ? new SourceHoleException(operation, dst, src, len, done)
                                      : new DestinationUnavailableException(operation, dst, src, len, done);
            case Errno.EBUSY -> new SourceBusyException(operation, dst, src, len, done);
            case Errno.EINVAL -> new UffdInvalidArgumentException(operation, dst, src, len, done,
                    "rejected by the kernel (misaligned, outside one mapping, mappings incompatible, or a bad mode)");
            case Errno.EAGAIN -> new UffdAgainException(operation, dst, src, len, done);
            case Errno.ENOMEM -> new UffdOutOfMemoryException(operation, dst, src, len, done);
            case Errno.EBADF -> new UffdClosedException(operation);
            case Errno.ESRCH -> new UffdException(operation, errno, dst, src, len, done,
                    "the process owning the userfaultfd's memory has exited");
            case Errno.EFAULT -> new UffdException(operation, errno, dst, src, len, done,
                    "an address could not be read or written by the kernel");
            default -> new UffdException(operation, errno, dst, src, len, done, "");
        };
    }
}
