package io.uffdgc.heap.layout;

/** What the layout table says about one kind of object: a record layout or one of the built-in arrays. */
public sealed interface Layout permits RecordLayout, ArrayLayout {
    /** Index into the heap's layout table, the value stored in object headers. */
    int id();

    /** Layout kind as in ugc_object.h (UGC_KIND_*). */
    int kind();

    String name();
}
