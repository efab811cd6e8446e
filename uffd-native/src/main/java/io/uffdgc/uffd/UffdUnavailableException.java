package io.uffdgc.uffd;

import java.util.List;

/**
 * No userfaultfd could be created: every way was tried and each failed. The message
 * lists the attempts and their errno; errno() is the last attempt's.
 */
public final class UffdUnavailableException extends NativeCallException {
    @java.io.Serial
    private static final long serialVersionUID = 1L;

    private final transient List<String> attempts;

    public UffdUnavailableException(List<String> attempts, int lastErrno) {
        super("userfaultfd", lastErrno, "tried " + String.join("; ", attempts));
        this.attempts = List.copyOf(attempts);
    }

    /** One line per attempt: what was called and the errno it returned. */
    public List<String> attempts() { return attempts; }
}
