package io.uffdgc.uffd.service;

import io.uffdgc.uffd.CpuTime;
import io.uffdgc.uffd.IoctlCounters;
import io.uffdgc.uffd.NativeCallException;
import io.uffdgc.uffd.UffdFeatures;
import io.uffdgc.uffd.Userfaultfd;
import io.uffdgc.uffd.gen.Uffdgc;
import io.uffdgc.uffd.gen.ugc_fault_record;
import io.uffdgc.uffd.gen.ugc_service_stats;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * What serves the page faults of one userfaultfd by calling a C {@link Resolver}:
 * native threads ({@link #start}), pthreads that never attach to the JVM, so a JVM
 * safepoint can never wait on them (see ugc_service.h); or the faulting threads
 * themselves, in a SIGBUS handler that runs only C ({@link #startSigbus}). Java only
 * starts, observes and stops it.
 *
 * <p>{@link #close()} stops the threads, first resolving every fault already queued
 * so that no thread stays blocked, then frees the service. Faults that arrive after
 * close are nobody's: unregister the range (or close the uffd) before closing the
 * service if threads may still touch missing pages. The Userfaultfd and the Resolver
 * must stay open while the service runs.
 */
public final class FaultService implements AutoCloseable {
    /** Fault records kept between two drains. */
    public static final int DEFAULT_LATENCY_CAPACITY = 1 << 16;
    private static final int DRAIN_BATCH = 4096;
    /** The largest service time recorded as itself: a minute (a stalled service is caught long before). */
    public static final long MAX_SERVICE_NANOS = 60_000_000_000L;

    private final Recorder serviceTimes = new Recorder(MAX_SERVICE_NANOS, 3);
    private FaultLog.Builder log;     // null unless keepFaultLog(true)
    private long droppedAtLogStart;   // latencies_dropped when the current log interval began

    private final Resolver resolver;
    private MemorySegment handle; // ugc_service*, NULL once closed
    private FaultServiceStats finalStats;

    private final boolean sigbus;

    private FaultService(MemorySegment handle, Resolver resolver, boolean sigbus) {
        this.handle = handle;
        this.resolver = resolver;
        this.sigbus = sigbus;
    }

    /** True if faults are served on the faulting threads, in a SIGBUS handler. */
    public boolean isSigbus() { return sigbus; }

    public static FaultService start(Userfaultfd uffd, int threads, Resolver resolver) {
        return start(uffd, threads, resolver, DEFAULT_LATENCY_CAPACITY);
    }

    /**
     * Starts threads (1..64) service threads on uffd.
     *
     * @param latencyCapacity fault records kept until drained (0: none recorded)
     */
    public static FaultService start(Userfaultfd uffd, int threads, Resolver resolver, int latencyCapacity) {
        if (threads < 1 || threads > Uffdgc.UGC_SERVICE_MAX_THREADS())
            throw new IllegalArgumentException("threads " + threads + " not in 1.." + Uffdgc.UGC_SERVICE_MAX_THREADS());
        if (latencyCapacity < 0 || latencyCapacity > Uffdgc.UGC_SERVICE_MAX_LATENCIES())
            throw new IllegalArgumentException("latencyCapacity " + latencyCapacity + " not in 0.." + Uffdgc.UGC_SERVICE_MAX_LATENCIES());
        resolver.attach();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
            int rc = Uffdgc.ugc_service_start(uffd.fd(), threads, resolver.function(), resolver.context(),
                    latencyCapacity, out);
            NativeCallException.check(rc, "ugc_service_start", threads + " threads, " + resolver);
            return new FaultService(out.get(ValueLayout.ADDRESS, 0), resolver, false);
        } catch (RuntimeException e) {
            resolver.detach();
            throw e;
        }
    }

    /**
     * Starts a service that serves faults on the faulting threads themselves, in a SIGBUS
     * handler (ugc_service.h, {@code ugc_service_start_sigbus}): uffd must have been opened
     * with {@link UffdFeatures.Feature#SIGBUS}, and [base, base+length) is the range it will
     * register. The handler chains every other SIGBUS to the JVM's. Its service times are the
     * mutators' own stalls (handler entry to exit). Unregister the range before closing.
     *
     * @param workers scratch pages shared by concurrent handlers (1..64)
     */
    public static FaultService startSigbus(Userfaultfd uffd, long base, long length, int workers, Resolver resolver) {
        if (!uffd.features().has(UffdFeatures.Feature.SIGBUS))
            throw new IllegalArgumentException("SIGBUS service on " + uffd + ": UFFD_FEATURE_SIGBUS was not granted");
        if (workers < 1 || workers > Uffdgc.UGC_SERVICE_MAX_THREADS())
            throw new IllegalArgumentException("workers " + workers + " not in 1.." + Uffdgc.UGC_SERVICE_MAX_THREADS());
        if (length <= 0) throw new IllegalArgumentException("length " + length + " must be positive");
        resolver.attach();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
            int rc = Uffdgc.ugc_service_start_sigbus(uffd.fd(), base, length, workers, resolver.function(),
                    resolver.context(), DEFAULT_LATENCY_CAPACITY, out);
            NativeCallException.check(rc, "ugc_service_start_sigbus", "range 0x" + Long.toHexString(base) + "+"
                    + length + ", " + workers + " workers, " + resolver + " (EBUSY: 64 SIGBUS services at once)");
            return new FaultService(out.get(ValueLayout.ADDRESS, 0), resolver, true);
        } catch (RuntimeException e) {
            resolver.detach();
            throw e;
        }
    }

    /**
     * Current counters, as a snapshot that does not wait; after close, the counters as they
     * were when the service stopped. A resolver's ioctl wakes the faulting thread before the
     * service counts the outcome, so while faults are in flight {@code faults} can exceed
     * {@code resolved + failed} even after the faulting thread has gone on: take
     * {@link #intervalServiceTimes} first (it waits for the record, counted after the outcome,
     * of every fault counted so far) when the two must agree.
     */
    public synchronized FaultServiceStats stats() {
        return handle == null ? finalStats : readStats();
    }

    private FaultServiceStats readStats() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = ugc_service_stats.allocate(arena);
            Uffdgc.ugc_service_stats_read(handle, s);
            return new FaultServiceStats(ugc_service_stats.faults(s), ugc_service_stats.resolved(s),
                    ugc_service_stats.failed(s), (int) -ugc_service_stats.last_error(s),
                    ugc_service_stats.other_events(s), ugc_service_stats.latencies_dropped(s),
                    ugc_service_stats.served_at_stop(s),
                    IoctlCounters.read(ugc_service_stats.ctr(s)),
                    new CpuTime(ugc_service_stats.cpu_user_ns(s), ugc_service_stats.cpu_sys_ns(s)));
        }
    }

    /**
     * The service times (ns from reading a fault message to the resolver's return) of the
     * faults served since the previous call: HdrHistogram's {@link Recorder} interval
     * pattern. The C threads keep their samples in a ring; this moves them into the
     * recorder and hands out its interval histogram, so one caller can take consecutive,
     * non-overlapping intervals (a cycle's faults: one call before it, one after).
     * Samples beyond {@value #MAX_SERVICE_NANOS} ns are recorded as that value.
     */
    public synchronized Histogram intervalServiceTimes() {
        if (handle != null) {
            awaitRecords();
            drainRing();
        }
        return serviceTimes.getIntervalHistogram();
    }

    /** How long an interval's end waits for the records of faults already counted. */
    private static final long RECORD_WAIT_NANOS = 1_000_000_000L;

    /**
     * Waits (briefly, bounded) until every fault counted so far has its record in the ring: a
     * service thread puts a record after its resolver returns, and the resolver's ioctl has
     * already woken the faulting thread, which may have gone on to end the interval. What is
     * waited for is C code already past the page (a service thread, or in SIGBUS mode the
     * mutator's own handler), never a fault's resolution, and the wait is bounded.
     */
    private void awaitRecords() {
        long deadline = System.nanoTime() + RECORD_WAIT_NANOS;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = ugc_service_stats.allocate(arena);
            Uffdgc.ugc_service_stats_read(handle, s);
            long counted = ugc_service_stats.faults(s);
            while (ugc_service_stats.recorded(s) < counted && System.nanoTime() < deadline) {
                Thread.onSpinWait();
                Uffdgc.ugc_service_stats_read(handle, s);
            }
        }
    }

    private void drainRing() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = ugc_fault_record.allocateArray(DRAIN_BATCH, arena);
            long n;
            do {
                n = Uffdgc.ugc_service_drain_faults(handle, buf, DRAIN_BATCH);
                for (long i = 0; i < n; i++) {
                    MemorySegment r = ugc_fault_record.asSlice(buf, i);
                    long stall = ugc_fault_record.stall_ns(r);
                    serviceTimes.recordValue(Math.min(stall, MAX_SERVICE_NANOS));
                    if (log != null) log.add(ugc_fault_record.start_ns(r), stall, ugc_fault_record.page(r));
                }
            } while (n == DRAIN_BATCH);
        }
    }

    /**
     * Whether to keep every fault's record (start, stall, page) for {@link #intervalFaultLog},
     * e.g. for a trace; off by default. The records come from the same ring as the service
     * times, so keeping them costs the fault path nothing; the cost is memory until drained.
     */
    public synchronized void keepFaultLog(boolean on) {
        if (on == (log != null)) return;
        if (on && handle != null) drainRing();   // earlier faults belong to no log interval
        log = on ? new FaultLog.Builder() : null;
        droppedAtLogStart = stats().latenciesDropped();
    }

    /**
     * The faults of the last {@link #intervalServiceTimes} interval (since the one before it, or
     * since {@link #keepFaultLog} was turned on), each with its start, stall and page: the same
     * records as that histogram's samples, so take it right after. Empty while the log is off.
     */
    public synchronized FaultLog intervalFaultLog() {
        if (log == null) return FaultLog.EMPTY;
        long dropped = stats().latenciesDropped();
        FaultLog taken = log.take(dropped - droppedAtLogStart);
        droppedAtLogStart = dropped;
        return taken;
    }

    /**
     * From now on every fault is also counted into the 8-byte-aligned long at address (a
     * counter another process reads; 0 stops it). The memory must stay mapped until this
     * service is closed or the counter unset.
     */
    public synchronized void countFaultsInto(long address) {
        if (handle == null) throw new IllegalStateException("fault service is closed");
        NativeCallException.check(Uffdgc.ugc_service_set_live_faults(handle, address), "ugc_service_set_live_faults",
                "counter at 0x" + Long.toHexString(address) + " (8-byte aligned)");
    }

    public synchronized boolean isRunning() { return handle != null; }

    /** Stops the threads (serving every queued fault first) and frees the service. Idempotent. */
    @Override
    public synchronized void close() {
        if (handle == null) return;
        int rc = Uffdgc.ugc_service_stop(handle);
        finalStats = readStats();
        drainRing(); // the last interval keeps the faults served at stop
        Uffdgc.ugc_service_free(handle);
        handle = null;
        resolver.detach();
        NativeCallException.check(rc, "ugc_service_stop", "serving the faults still queued");
    }

    @Override
    public String toString() { return "FaultService[" + resolver + ", " + stats() + "]"; }
}
