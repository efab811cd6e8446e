package io.uffdgc.uffd.service;

import io.uffdgc.uffd.Memory;
import io.uffdgc.uffd.NativeLibrary;
import io.uffdgc.uffd.gen.Uffdgc;
import io.uffdgc.uffd.gen.ugc_copy_source;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the fault service calls for each fault: a C function with the signature of
 * {@code ugc_resolver_fn} and its context pointer. Java never runs on this path.
 *
 * <p>A resolver that allocated its context (see {@link #copyFrom}) owns it and frees it
 * on {@link #close()}, which is refused while a running service still uses it.
 */
public final class Resolver implements AutoCloseable {
    private final String name;
    private final MemorySegment function;
    private final MemorySegment context;
    private final Arena owned; // null when the context belongs to someone else
    private final AtomicInteger services = new AtomicInteger();
    private boolean closed;

    private Resolver(String name, MemorySegment function, MemorySegment context, Arena owned) {
        this.name = name;
        this.function = function;
        this.context = context;
        this.owned = owned;
    }

    /** Maps the shared zero page at each faulting page ({@code ugc_resolve_zero}). */
    public static Resolver zeroPage() {
        NativeLibrary.load();
        return new Resolver("zeroPage", Uffdgc.ugc_resolve_zero$address(), MemorySegment.NULL, null);
    }

    /**
     * Fills the faulting page at dstBase + k with a copy of srcBase + k, for k in [0, len)
     * ({@code ugc_resolve_copy}); a fault outside that range fails (the mutator is woken).
     */
    public static Resolver copyFrom(long dstBase, long srcBase, long len) {
        NativeLibrary.load();
        long page = Memory.pageSize();
        if (len <= 0 || len % page != 0 || dstBase % page != 0 || srcBase % page != 0 || dstBase == 0 || srcBase == 0)
            throw new IllegalArgumentException("copyFrom(dst 0x" + Long.toHexString(dstBase) + ", src 0x"
                    + Long.toHexString(srcBase) + ", len " + len + "): need page-aligned non-null bases and a positive page multiple");
        Arena arena = Arena.ofShared();
        MemorySegment ctx = ugc_copy_source.allocate(arena);
        ugc_copy_source.dst_base(ctx, dstBase);
        ugc_copy_source.src_base(ctx, srcBase);
        ugc_copy_source.len(ctx, len);
        return new Resolver("copyFrom[0x" + Long.toHexString(srcBase) + "]", Uffdgc.ugc_resolve_copy$address(), ctx, arena);
    }

    /**
     * A resolver written in C elsewhere in libuffdgc.so, e.g. the collector's page routine:
     * {@code Resolver.of("ugc_gc_resolve", Uffdgc.ugc_gc_resolve$address(), engineAddress)}.
     * The function comes from the generated bindings, so it is bound when they are, never
     * looked up by name; ctxAddress is its context, owned and kept alive by the caller.
     */
    public static Resolver of(String name, MemorySegment function, long ctxAddress) {
        if (function == null || function.equals(MemorySegment.NULL))
            throw new IllegalArgumentException("resolver " + name + ": a null function");
        return new Resolver(name, function, MemorySegment.ofAddress(ctxAddress), null);
    }

    MemorySegment function() { return function; }

    MemorySegment context() { return context; }

    synchronized void attach() {
        if (closed) throw new IllegalStateException("resolver " + name + " is closed");
        services.incrementAndGet();
    }

    void detach() { services.decrementAndGet(); }

    public String name() { return name; }

    /** Frees an owned context. Refused while a running FaultService uses this resolver. */
    @Override
    public synchronized void close() {
        if (closed) return;
        if (services.get() > 0)
            throw new IllegalStateException("resolver " + name + " is used by a running FaultService: close that first");
        closed = true;
        if (owned != null) owned.close();
    }

    @Override
    public String toString() { return "Resolver[" + name + "]"; }
}
