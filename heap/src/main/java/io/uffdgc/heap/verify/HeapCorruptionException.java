package io.uffdgc.heap.verify;

/** The first corruption the verifier found: where it is and how it was reached. */
public final class HeapCorruptionException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final long address;
    private final String path;

    public HeapCorruptionException(String problem, long address, String path) {
        super(problem + " at 0x" + Long.toHexString(address) + "; reached by: " + path);
        this.address = address;
        this.path = path;
    }

    /** Absolute address of the corrupt word (a header, a reference slot, a root slot). */
    public long address() { return address; }

    /** How the verifier got there: "root slot 3 -> record 'Node' (layout 16).ref[1] -> ...", or the heap walk. */
    public String path() { return path; }
}
