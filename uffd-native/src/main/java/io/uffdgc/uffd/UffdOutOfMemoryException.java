package io.uffdgc.uffd;

/** ENOMEM: the kernel could not allocate a page or page table for the destination. */
public final class UffdOutOfMemoryException extends UffdException {
    @java.io.Serial
    private static final long serialVersionUID = 1L;

    public UffdOutOfMemoryException(String operation, long dst, long src, long len, long done) {
        super(operation, Errno.ENOMEM, dst, src, len, done, "out of memory");
    }
}
