package io.uffdgc.gc.engine;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * TEMPORARY: the concurrent-marking entry points of ugc_gc.h, bound by hand because
 * jextract was not available when they were added. Once scripts/regen-bindings has run,
 * every method here is the generated {@code Uffdgc.<same name>}: replace the calls in
 * {@link NativeEngine} with those and delete this class. The signatures follow ugc_gc.h
 * exactly (uint64_t and int64_t as long, int as int, ugc_gc * as an address).
 */
final class MarkingDowncalls {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final ValueLayout.OfLong J = ValueLayout.JAVA_LONG;
    private static final ValueLayout.OfInt I = ValueLayout.JAVA_INT;
    private static final ValueLayout P = ValueLayout.ADDRESS;

    private static final MethodHandle MARK_BEGIN = bind("ugc_gc_mark_begin", FunctionDescriptor.of(I, P));
    private static final MethodHandle MARK_CONCURRENT = bind("ugc_gc_mark_concurrent", FunctionDescriptor.of(J, P));
    private static final MethodHandle SATB_PUSH = bind("ugc_gc_satb_push", FunctionDescriptor.of(I, P, J, J));
    private static final MethodHandle SATB_PENDING = bind("ugc_gc_satb_pending", FunctionDescriptor.of(J, P));
    private static final MethodHandle REMARK = bind("ugc_gc_remark", FunctionDescriptor.of(J, P));
    private static final MethodHandle PLAN_CONCURRENT = bind("ugc_gc_plan_concurrent", FunctionDescriptor.of(J, P));
    private static final MethodHandle PLAN_TAIL = bind("ugc_gc_plan_tail", FunctionDescriptor.of(J, P));
    private static final MethodHandle MARK_CANCEL = bind("ugc_gc_mark_cancel", FunctionDescriptor.ofVoid(P));

    private MarkingDowncalls() {}

    private static MethodHandle bind(String name, FunctionDescriptor d) {
        io.uffdgc.uffd.NativeLibrary.load();
        MemorySegment fn = SymbolLookup.loaderLookup().find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libuffdgc has no " + name));
        return LINKER.downcallHandle(fn, d);
    }

    static int ugc_gc_mark_begin(MemorySegment gc) { return (int) call(MARK_BEGIN, gc); }

    static long ugc_gc_mark_concurrent(MemorySegment gc) { return (long) call(MARK_CONCURRENT, gc); }

    static int ugc_gc_satb_push(MemorySegment gc, long refs, long n) {
        try {
            return (int) SATB_PUSH.invokeExact(gc, refs, n);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static long ugc_gc_satb_pending(MemorySegment gc) { return (long) call(SATB_PENDING, gc); }

    static long ugc_gc_remark(MemorySegment gc) { return (long) call(REMARK, gc); }

    static long ugc_gc_plan_concurrent(MemorySegment gc) { return (long) call(PLAN_CONCURRENT, gc); }

    static long ugc_gc_plan_tail(MemorySegment gc) { return (long) call(PLAN_TAIL, gc); }

    static void ugc_gc_mark_cancel(MemorySegment gc) {
        try {
            MARK_CANCEL.invokeExact(gc);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    private static Object call(MethodHandle h, MemorySegment gc) {
        try {
            return h.invoke(gc);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }
}
