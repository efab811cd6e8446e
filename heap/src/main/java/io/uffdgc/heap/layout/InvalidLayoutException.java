package io.uffdgc.heap.layout;

/** A record layout that cannot exist: negative or too large sizes, a duplicate name, a full table. */
public final class InvalidLayoutException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public InvalidLayoutException(String message) { super(message); }
}
