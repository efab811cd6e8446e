package io.uffdgc.bench.peers;

/**
 * A record of the workload as a plain Java object: up to four references (the chain
 * link {@link #next} is slot 0) and 8-96 bytes of data as long fields, inline like the
 * off-heap record's data. The data size picks the class: this base class carries 8
 * bytes, each subclass adds words, so a record is one Java object, as in our heap.
 * Unused reference slots stay null (Java cannot vary the field count per object).
 */
class JavaRecord {
    JavaRecord next;
    Object r1, r2, r3;
    /** The first data word: the one the mutators read and write. */
    long d0;

    /** A record of the same class (data size), zeroed. */
    JavaRecord blank() { return new JavaRecord(); }

    /** Writes every data word from x. */
    void fill(long x) { d0 = x; }

    /** Reference slot 1..3 (slot 0 is {@link #next}). */
    final void setRef(int slot, Object o) {
        switch (slot) {
            case 0 -> next = (JavaRecord) o;
            case 1 -> r1 = o;
            case 2 -> r2 = o;
            case 3 -> r3 = o;
            default -> throw new IndexOutOfBoundsException("reference slot " + slot + " of a record with 4");
        }
    }

    /** A new record with data of the given size (one of ObjectMix.RECORD_DATA_BYTES). */
    static JavaRecord ofDataBytes(int dataBytes) {
        return switch (dataBytes) {
            case 8 -> new JavaRecord();
            case 16 -> new D16();
            case 24 -> new D24();
            case 32 -> new D32();
            case 48 -> new D48();
            case 64 -> new D64();
            case 96 -> new D96();
            default -> throw new IllegalArgumentException("no Java record class with " + dataBytes + " data bytes");
        };
    }

    static class D16 extends JavaRecord {
        long d1;
        @Override JavaRecord blank() { return new D16(); }
        @Override void fill(long x) { super.fill(x); d1 = x + 1; }
    }

    static class D24 extends D16 {
        long d2;
        @Override JavaRecord blank() { return new D24(); }
        @Override void fill(long x) { super.fill(x); d2 = x + 2; }
    }

    static class D32 extends D24 {
        long d3;
        @Override JavaRecord blank() { return new D32(); }
        @Override void fill(long x) { super.fill(x); d3 = x + 3; }
    }

    static class D48 extends D32 {
        long d4, d5;
        @Override JavaRecord blank() { return new D48(); }
        @Override void fill(long x) { super.fill(x); d4 = x + 4; d5 = x + 5; }
    }

    static class D64 extends D48 {
        long d6, d7;
        @Override JavaRecord blank() { return new D64(); }
        @Override void fill(long x) { super.fill(x); d6 = x + 6; d7 = x + 7; }
    }

    static final class D96 extends D64 {
        long d8, d9, d10, d11;
        @Override JavaRecord blank() { return new D96(); }
        @Override void fill(long x) { super.fill(x); d8 = x + 8; d9 = x + 9; d10 = x + 10; d11 = x + 11; }
    }
}
