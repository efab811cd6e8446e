package io.uffdgc.heap.layout;

/** A typed access to an object whose layout does not have that field or element type. */
public final class WrongLayoutException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public WrongLayoutException(String message) { super(message); }
}
