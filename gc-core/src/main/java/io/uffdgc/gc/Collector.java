package io.uffdgc.gc;

import io.uffdgc.gc.CycleStats.Trigger;
import io.uffdgc.gc.engine.NativeEngine;
import io.uffdgc.gc.jfr.RareEvents;
import io.uffdgc.gc.mode.ModeSupport;
import io.uffdgc.gc.policy.CollectionPolicy;
import io.uffdgc.gc.policy.HeapUsage;
import io.uffdgc.heap.Heap;
import io.uffdgc.heap.HeapClosedException;
import io.uffdgc.heap.internal.HeapInternals;
import io.uffdgc.uffd.Memory;
import io.uffdgc.uffd.UffdFeatures;
import io.uffdgc.uffd.Userfaultfd;
import io.uffdgc.uffd.service.FaultService;
import io.uffdgc.uffd.service.Resolver;
import java.util.EnumSet;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The concurrent compacting collector of one heap.
 *
 * <p>{@link #collect(Mode)} runs a cycle and blocks until it ends: mark, plan and
 * flip inside one heap safepoint (the only pause), then a compaction window in which
 * the mutators run while compactor threads (one native downcall each) and the native
 * fault service compact the heap page by page. The collector also installs itself
 * as the heap's {@link io.uffdgc.heap.CollectionHook} (a failed allocation runs a
 * cycle) and runs its {@link CollectionPolicy} on a daemon thread.
 *
 * <p>The userfaultfd and the fault service live as long as the collector. No Java
 * thread ever resolves a fault: Java only calls the engine's downcalls and waits.
 */
public final class Collector implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Collector.class.getName());
    /** Scratch pages SIGBUS handlers share (a handler that finds none borrows a consumed from-space page). */
    private static final int SIGBUS_WORKERS = 16;

    private final Heap heap;
    private final HeapInternals internals;
    private final CollectorConfig config;
    private final NativeEngine engine;
    private final Userfaultfd uffd;          // null: no userfaultfd here, STW only
    private final Resolver resolver;
    private final FaultService service;
    private final ModeSupport support;
    private final CycleRunner runner;
    private final HeapCounters counters;   // null unless config.liveCounters()
    private final ReentrantLock cycleLock = new ReentrantLock();
    private final CopyOnWriteArrayList<CycleListener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicBoolean autoExplained = new AtomicBoolean();
    private final Thread policyThread;
    private volatile boolean closed;
    private volatile long cycles;
    private volatile long cyclesStarted;          // written under cycleLock, before the cycle marks
    private long lastCompletedStart;              // cyclesStarted of the last cycle that completed; under cycleLock
    private volatile Thread cycleThread;          // the thread inside runner.run, or null; written under cycleLock
    private volatile CycleStats last;
    private volatile RuntimeException policyFailure;
    /** This collector's claim on the heap: one collector per heap (HeapInternals.claimCollector). */
    private final Claim claim;

    private record Claim(String attachingThread) {
        @Override public String toString() { return "attached from thread " + attachingThread; }
    }

    private Collector(Heap heap, CollectorConfig config, Claim claim) {
        this.heap = heap;
        this.claim = claim;
        this.config = config;
        this.internals = HeapInternals.of(heap);
        this.engine = NativeEngine.create(internals.descriptorAddress(), heap.start());
        Userfaultfd fd = null;
        String openError = "";
        try {
            fd = config.faultHandling() == FaultHandling.SIGBUS
                    ? Userfaultfd.open(EnumSet.of(UffdFeatures.Feature.MOVE, UffdFeatures.Feature.SIGBUS))
                    : Userfaultfd.open();
        } catch (RuntimeException e) {
            openError = e.getMessage();
        }
        Resolver r = null;
        FaultService s = null;
        try {
            engine.setRunPages(config.runPages());
            engine.setDensePercent(config.densePercent());
            engine.setCopySinglePages(config.copySinglePages());
            engine.setMarkThreads(config.markThreads());
            if (config.hugePages()) {
                // The heap module does not ask for THP itself; pages touched from now on may be huge.
                Memory.advise(heap.base(), heap.capacity(), Memory.Advice.HUGEPAGE);
                engine.adviseHugePages();
            }
            this.support = ModeSupport.probe(fd, openError);
            if (support.auto() != Mode.MOVE) RareEvents.fellBack(heap.name(), "MOVE", support.auto().name(), support.reason());
            if (fd != null) {
                r = engine.resolver();
                s = startFaultService(heap, config, fd, r);
                s.keepFaultLog(config.faultLog());
            }
        } catch (RuntimeException e) {
            if (s != null) s.close();
            if (r != null) r.close();
            if (fd != null) fd.close();
            engine.close();
            throw e;
        }
        this.uffd = fd;
        this.resolver = r;
        this.service = s;
        this.runner = new CycleRunner(heap, internals, engine, fd, s, config);
        this.counters = config.liveCounters() ? new HeapCounters(heap.name(), heap.capacity(), engine, s) : null;
        this.policyThread = Thread.ofPlatform().daemon().name("uffdgc-policy-" + heap.name()).unstarted(this::policyLoop);
    }

    /**
     * The fault service config asks for: SIGBUS where the kernel granted UFFD_FEATURE_SIGBUS
     * (else one line in the log, and threads), or faultThreads service threads.
     */
    private static FaultService startFaultService(Heap heap, CollectorConfig config, Userfaultfd fd, Resolver r) {
        if (config.faultHandling() == FaultHandling.SIGBUS) {
            if (fd.features().has(UffdFeatures.Feature.SIGBUS))
                return FaultService.startSigbus(fd, heap.base(), heap.capacity(), SIGBUS_WORKERS, r);
            String why = "the kernel did not grant UFFD_FEATURE_SIGBUS (" + fd.features() + ")";
            LOG.log(System.Logger.Level.WARNING, "fault handling SIGBUS unavailable on heap " + heap.name()
                    + ": " + why + "; using service threads");
            RareEvents.fellBack(heap.name(), "SIGBUS", "THREADS", why);
        }
        return FaultService.start(fd, config.faultThreads(), r);
    }

    /** The fault handling in effect: what the config asked for, unless the kernel could not give it. */
    public FaultHandling faultHandling() {
        return service != null && service.isSigbus() ? FaultHandling.SIGBUS : FaultHandling.THREADS;
    }

    /** Attaches a collector to heap with default settings. */
    public static Collector attach(Heap heap) { return attach(heap, CollectorConfig.defaults()); }

    /** Attaches a collector to heap: opens the userfaultfd, starts the fault service and the policy. */
    public static Collector attach(Heap heap, CollectorConfig config) {
        Claim claim = new Claim(Thread.currentThread().getName());
        HeapInternals.of(heap).claimCollector(claim);
        Collector c;
        try {
            c = new Collector(heap, config, claim);
        } catch (RuntimeException | Error e) {
            HeapInternals.of(heap).releaseCollector(claim);
            throw e;
        }
        c.internals.setSatbSink(c.engine::satbPush); // the mutators' barrier buffers go to the engine's marker
        heap.setCollectionHook(c::collectForAllocation);
        c.policyThread.start();
        return c;
    }

    /** Runs a cycle in the policy's mode. */
    public CycleStats collect() { return collect(config.policy().mode()); }

    /**
     * Runs one cycle in mode (AUTO: the best this kernel offers) and returns its
     * statistics once from-space is released. Cycles never overlap: a second caller
     * waits for the first.
     *
     * @throws IllegalArgumentException if mode is not available here (see {@link #modeSupport()})
     * @throws CollectionFailedException if the heap was closed under the cycle or the window timed out
     * @throws io.uffdgc.heap.SafepointTimeoutException if the mutators did not stop within the limit of a
     *         {@link CollectorConfig#safepointWait()} that fails ({@code OnLimit.FAIL}); nothing was collected
     * @throws IllegalStateException if called on the thread that is running a cycle (e.g. from windowOpened)
     */
    public CycleStats collect(Mode mode) { return collect(mode, Trigger.EXPLICIT); }

    private CycleStats collect(Mode mode, Trigger trigger) {
        Mode concrete = resolve(mode);
        refuseReentry();
        cycleLock.lock();
        try {
            return runLocked(concrete, trigger);
        } finally {
            cycleLock.unlock();
        }
    }

    /**
     * The cycle lock is reentrant, so a cycle requested on the thread that is running one (from
     * {@link CycleListener#windowOpened}, or by an allocation there) would reach the engine while
     * it is busy: refuse it here, in words. From cycleCompleted it is a new cycle and allowed.
     */
    private void refuseReentry() {
        if (cycleThread == Thread.currentThread())
            throw new IllegalStateException("a cycle is already running on heap '" + heap.name()
                    + "' on this thread: a collection cannot be requested from inside a cycle (e.g. from a CycleListener)");
    }

    /** One cycle; the caller holds cycleLock. */
    private CycleStats runLocked(Mode concrete, Trigger trigger) {
        checkOpen();
        long start = ++cyclesStarted;
        CycleStats stats;
        cycleThread = Thread.currentThread();
        try {
            stats = runner.run(cycles + 1, concrete, trigger, windowEvents);
        } finally {
            cycleThread = null;
        }
        lastCompletedStart = start;
        cycles = stats.cycle();
        last = stats;
        internals.setLiveBytes(stats.memory().liveBytes());
        if (counters != null) counters.cycleCompleted(stats, cycles, heap.top());
        for (CycleListener l : listeners) notify(l, stats);
        return stats;
    }

    /**
     * The heap's CollectionHook: a cycle, unless one that started after this request completed
     * while the mutator waited for the lock. A cycle that was already running when the request
     * came may have marked before the mutator dropped its data, so it does not count (the JVM's
     * rule before an OutOfMemoryError: a full collection that began after the failure).
     */
    private void collectForAllocation(long requestedBytes) {
        long startedBefore = cyclesStarted;
        Mode mode = resolve(config.policy().mode());
        refuseReentry();
        cycleLock.lock();
        try {
            if (closed || lastCompletedStart > startedBefore) return;
            runLocked(mode, Trigger.ALLOCATION_FAILURE);
        } finally {
            cycleLock.unlock();
        }
    }

    private void policyLoop() {
        CollectionPolicy policy = config.policy();
        while (!closed && !heap.isClosed()) {
            LockSupport.parkNanos(policy.pollInterval().toNanos());
            if (closed) return;
            try {
                if (counters != null) counters.set(io.uffdgc.gc.observe.LiveCounter.USED_BYTES, heap.top());
                HeapUsage u = usage();
                if (policy.shouldCollect(u)) collect(policy.mode(u), Trigger.POLICY);
            } catch (HeapClosedException e) {
                return;
            } catch (RuntimeException e) {
                if (closed) return;
                policyFailure = e;
                LOG.log(System.Logger.Level.WARNING, "policy-started cycle failed on heap " + heap.name(), e);
            }
        }
    }

    /** What the policy sees now. */
    public HeapUsage usage() {
        CycleStats l = last;
        return new HeapUsage(heap.top(), heap.capacity(), l == null ? 0 : l.memory().usedAfter(), cycles);
    }

    /** The concrete mode a request means here; explains AUTO once in the log. */
    public Mode resolve(Mode mode) {
        if (mode == Mode.AUTO) {
            if (autoExplained.compareAndSet(false, true)) LOG.log(System.Logger.Level.INFO, support.reason());
            return support.auto();
        }
        if (!support.available().contains(mode))
            throw new IllegalArgumentException("mode " + mode + " is not available here: " + support.reason());
        return mode;
    }

    public ModeSupport modeSupport() { return support; }

    public void addListener(CycleListener listener) { listeners.add(listener); }

    public void removeListener(CycleListener listener) { listeners.remove(listener); }

    /** Cycles completed. */
    public long cycles() { return cycles; }

    public Optional<CycleStats> lastCycle() { return Optional.ofNullable(last); }

    /** The latest failure of a cycle the policy started, if any. */
    public Optional<RuntimeException> policyFailure() { return Optional.ofNullable(policyFailure); }

    public Heap heap() { return heap; }

    /** The live counters file this collector writes (CollectorConfig.withLiveCounters), if it writes one. */
    public Optional<java.nio.file.Path> countersFile() {
        return counters == null ? Optional.empty() : Optional.of(HeapCounters.file());
    }

    public CollectorConfig config() { return config; }

    /** The engine, for tests that steer it (e.g. abandon a compactor mid-window). */
    NativeEngine engine() { return engine; }

    /** Passes the window's opening and closing, marking's start and end and planning's end on to every listener. */
    private final CycleListener windowEvents = new CycleListener() {
        @Override public void cycleCompleted(CycleStats stats) {}

        @Override public void windowOpened(Mode mode) {
            for (CycleListener l : listeners) guarded(l, () -> l.windowOpened(mode));
        }

        @Override public void windowClosed(Mode mode) {
            for (CycleListener l : listeners) guarded(l, () -> l.windowClosed(mode));
        }

        @Override public void markingStarted() {
            for (CycleListener l : listeners) guarded(l, l::markingStarted);
        }

        @Override public void markingEnded() {
            for (CycleListener l : listeners) guarded(l, l::markingEnded);
        }

        @Override public void planningEnded() {
            for (CycleListener l : listeners) guarded(l, l::planningEnded);
        }
    };

    private static void guarded(CycleListener l, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cycle listener " + l + " failed", e);
        }
    }

    private void notify(CycleListener l, CycleStats stats) {
        guarded(l, () -> l.cycleCompleted(stats));
    }

    private void checkOpen() {
        if (closed) throw new IllegalStateException("collector of heap " + heap.name() + " is closed");
    }

    /**
     * Waits for a cycle in progress, then stops the policy and the fault service,
     * closes the userfaultfd and frees the engine. Idempotent.
     */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(policyThread);
        cycleLock.lock();
        try {
            if (engine.isClosed()) return;
            try {
                if (!heap.isClosed()) {
                    heap.setCollectionHook(null);
                    internals.setSatbSink(null);
                }
            } catch (HeapClosedException e) {
                // closed meanwhile: nothing to uninstall
            }
            runner.close();
            if (service != null) service.close();
            if (resolver != null) resolver.close();
            if (uffd != null) uffd.close();
            engine.close();
            if (counters != null) counters.close();   // C wrote them until the engine was freed
            internals.releaseCollector(claim);
        } finally {
            cycleLock.unlock();
        }
        if (Thread.currentThread() != policyThread) {
            try {
                policyThread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
