package io.uffdgc.heap;

/** A heap safepoint that some mutators did not reach in time; nobody stays stopped. */
public final class SafepointTimeoutException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SafepointTimeoutException(String message) { super(message); }
}
