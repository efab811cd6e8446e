package io.uffdgc.gc;

import io.uffdgc.gc.CycleStats.Trigger;
import io.uffdgc.gc.engine.EngineStats;
import io.uffdgc.gc.engine.NativeEngine;
import io.uffdgc.heap.Heap;
import io.uffdgc.heap.SafepointSession;
import io.uffdgc.uffd.Memory;
import io.uffdgc.uffd.Userfaultfd;
import io.uffdgc.uffd.service.FaultService;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.HdrHistogram.Histogram;

/**
 * Runs one cycle's steps in order and times them. The pause holds mark, plan and
 * flip; the window is the compactor threads' downcalls; then finish. A compactor
 * that stops early (or an install that failed for good) leaves pages unclaimed:
 * another compactor pass takes them over before the window may close.
 */
final class CycleRunner implements AutoCloseable {
    private static final long FINISH_POLL_MS = 50;

    private final Heap heap;
    private final NativeEngine engine;
    private final Userfaultfd uffd;
    private final FaultService service;
    private final CollectorConfig config;
    private final ExecutorService compactors;
    /** Fixed range: FaultService clamps samples to the histogram's highest trackable value. */
    private static final long MAX_FAULT_NANOS = TimeUnit.SECONDS.toNanos(60);
    private final Histogram discard = new Histogram(MAX_FAULT_NANOS, 3);

    CycleRunner(Heap heap, NativeEngine engine, Userfaultfd uffd, FaultService service, CollectorConfig config) {
        this.heap = heap;
        this.engine = engine;
        this.uffd = uffd;
        this.service = service;
        this.config = config;
        int[] n = {0};
        this.compactors = Executors.newFixedThreadPool(config.compactorThreads(),
                r -> Thread.ofPlatform().daemon().name("uffdgc-compactor-" + heap.name() + "-" + n[0]++).unstarted(r));
    }

    CycleStats run(long cycle, Mode mode, Trigger trigger, CycleListener events) {
        long faultsBefore = 0;
        if (service != null) {
            service.drainLatencies(discard); // faults before this cycle are not its own
            discard.reset();
            faultsBefore = service.stats().faults();
        }
        long residentBefore = Memory.residentBytes(heap.base(), heap.capacity());
        long t0 = System.nanoTime(), ttsp, tMark, tPlan, tFlip;
        try (SafepointSession session = heap.stopTheWorld()) {
            ttsp = session.timeToSafepointNanos();
            long a = System.nanoTime();
            engine.mark();
            tMark = System.nanoTime() - a;
            a = System.nanoTime();
            long newTop = engine.plan();
            tPlan = System.nanoTime() - a;
            a = System.nanoTime();
            engine.flip(mode.nativeMode(), mode.concurrent() ? uffd.fd() : -1);
            heap.resetTop(newTop);
            tFlip = System.nanoTime() - a;
        }
        long resumed = System.nanoTime();
        long windowEnd = resumed;
        if (mode.concurrent()) {
            events.windowOpened(mode);
            try {
                windowEnd = compactWindow(resumed);
            } finally {
                events.windowClosed(mode);
            }
        }
        long finished = System.nanoTime();

        Histogram latencies = new Histogram(MAX_FAULT_NANOS, 3);
        long faults = 0;
        if (service != null) {
            service.drainLatencies(latencies);
            faults = service.stats().faults() - faultsBefore;
        }
        long residentAfter = heap.isClosed() ? 0 : Memory.residentBytes(heap.base(), heap.capacity());
        EngineStats e = engine.stats();
        return new CycleStats(cycle, mode, trigger, resumed - t0, ttsp, tMark, tPlan, tFlip,
                mode.concurrent() ? windowEnd - resumed : 0, finished - windowEnd, finished - t0,
                e.liveBytes(), e.liveObjects(), e.oldTop(), e.newTop(), e.oldTop() - e.newTop(),
                e.pagesByCompactors() + e.pagesByFaults() + e.pagesDirect(), e.pagesByFaults(), e.pagesMoved(),
                e.pagesInPlace(), e.pagesCopied(), e.pagesZeroed(), e.pagesFresh(), e.ebusyFallbacks(),
                e.eexistRaces(), faults, latencies, residentBefore, residentAfter, e);
    }

    /** Runs the compactors, then closes the window; returns when the compactors were done. */
    private long compactWindow(long resumed) {
        long deadline = resumed + config.windowTimeout().toNanos();
        runCompactors(config.compactorThreads(), deadline);
        long windowEnd = System.nanoTime();
        for (;;) {
            if (heap.isClosed()) {
                long lost = engine.abort();
                throw new CollectionFailedException("heap " + heap.name() + " was closed during the compaction window ("
                        + lost + " pages were not compacted)");
            }
            // Pages a stopped compactor or a failed install left behind: take them over.
            if (engine.unclaimedPages() > 0) runCompactors(1, deadline);
            if (engine.finish(FINISH_POLL_MS)) return windowEnd;
            if (System.nanoTime() > deadline) {
                EngineStats e = engine.stats();
                throw new CollectionFailedException("compaction window of heap " + heap.name() + " still open after "
                        + config.windowTimeout() + ": " + engine.unclaimedPages() + " pages unclaimed, engine " + e);
            }
        }
    }

    private void runCompactors(int n, long deadline) {
        List<Future<Long>> running = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int index = i;
            running.add(compactors.submit(() -> engine.compact(index)));
        }
        for (Future<Long> f : running) {
            try {
                f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                throw new CollectionFailedException("compactor thread failed", e.getCause());
            } catch (TimeoutException e) {
                throw new CollectionFailedException("compactor thread still running after " + config.windowTimeout());
            } catch (InterruptedException e) {
                // The window must close whatever happens to this thread: finish waiting, keep the flag.
                Thread.currentThread().interrupt();
                try {
                    f.get();
                } catch (InterruptedException | ExecutionException ignored) {
                    // the loop in compactWindow checks the engine's state itself
                }
            }
        }
    }

    @Override
    public void close() {
        compactors.shutdown();
    }
}
