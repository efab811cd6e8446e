package io.uffdgc.uffd;

/** ENOENT from MOVE: a source page is missing (pass ALLOW_SRC_HOLES to skip holes). */
public final class SourceHoleException extends UffdException {
    @java.io.Serial
    private static final long serialVersionUID = 1L;

    public SourceHoleException(String operation, long dst, long src, long len, long done) {
        super(operation, Errno.ENOENT, dst, src, len, done, "hole in the source (no page at src + done)");
    }
}
