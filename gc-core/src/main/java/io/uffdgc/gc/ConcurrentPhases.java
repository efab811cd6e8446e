package io.uffdgc.gc;

import io.uffdgc.gc.CpuMeter.Part;
import io.uffdgc.gc.CyclePause.Kind;
import io.uffdgc.gc.engine.NativeEngine;
import io.uffdgc.gc.observe.Phase;
import io.uffdgc.heap.Heap;
import io.uffdgc.heap.SafepointSession;
import io.uffdgc.heap.SafepointWait;
import io.uffdgc.heap.internal.HeapInternals;
import io.uffdgc.heap.internal.HeapReadGuard;
import java.util.List;

/**
 * A cycle's steps before the compaction window when marking runs beside the mutators
 * (snapshot at the beginning, ART's concurrent mark-compact in shape):
 * <ol>
 *   <li>pause MARK_BEGIN: the engine remembers the top (black allocation above it) and the
 *       root table's size, the mutators' write barrier turns on;</li>
 *   <li>concurrent marking on this thread (and the engine's other marking threads) inside downcalls: the
 *       root table's values copied, after which the barrier stops logging dropped roots, then everything
 *       they and the barrier's log reach;</li>
 *   <li>pause REMARK: every mutator's barrier buffer goes to the engine, marking finishes, the barrier turns off;</li>
 *   <li>concurrent planning of the heap up to the remark top, on this thread;</li>
 *   <li>pause TAIL: every TLAB retired, so what the mutators allocated since remark (for as
 *       long as the plan took) parses up to the top, and the root table's cards cleared;</li>
 *   <li>concurrent planning of that tail (live, slid after the rest), then each root's
 *       forwarding as the root is then, into the second root table;</li>
 *   <li>pause FLIP: the objects allocated since TAIL are planned, the roots' forwardings applied
 *       (a root changed since is forwarded here), the heap moved out and registered.</li>
 * </ol>
 * This thread is a Java thread inside a downcall while it marks and plans: safe, because
 * no page is registered with the userfaultfd before the flip, so nothing it reads can fault,
 * and a thread in a downcall does not hold up a JVM safepoint. Heap.close() waits for these
 * steps ({@link HeapInternals#holdOpen}): they read the heap outside a safepoint.
 */
final class ConcurrentPhases {
    private final Heap heap;
    private final HeapInternals internals;
    private final NativeEngine engine;

    ConcurrentPhases(Heap heap, HeapInternals internals, NativeEngine engine) {
        this.heap = heap;
        this.internals = internals;
        this.engine = engine;
    }

    /** Runs the steps up to the open window (or, STW compaction, the compacted heap). */
    PrePhases run(Mode mode, int uffdFd, CycleListener events, CpuMeter cpu, SafepointWait wait, Timeline timeline) {
        long start = timeline.begin(Phase.CYCLE);
        try (HeapReadGuard _ = internals.holdOpen()) {
            CyclePause begin, remark, tail;
            long markStart, markEnd, planEnd;
            boolean begun = false;
            try {
                long t = timeline.begin(Phase.MARK_BEGIN);
                // Each pause ends when its session has woken the mutators (SafepointSession.releasedNanos).
                SafepointSession b = heap.stopTheWorld(wait);
                try (b) {
                    engine.markBegin();
                    begun = true;
                    internals.beginMarking();
                }
                markStart = timeline.next(Phase.MARK_BEGIN, Phase.MARKING, b.releasedNanos());
                begin = new CyclePause(Kind.MARK_BEGIN, markStart - t, b.timeToSafepointNanos());
                events.markingStarted();
                cpu.time(Part.MARK, () -> {
                    engine.markRoots();
                    internals.rootsCopied(); // from here on a dropped root needs no log
                    return engine.markConcurrent();
                });
                markEnd = timeline.next(Phase.MARKING, Phase.REMARK);
                SafepointSession r = heap.stopTheWorld(wait);
                try (r) {
                    internals.endMarking();
                    engine.remark();     // its time is the REMARK pause's, not markNanos'
                }
                long resumed = timeline.next(Phase.REMARK, Phase.PLANNING, r.releasedNanos());
                remark = new CyclePause(Kind.REMARK, resumed - markEnd, r.timeToSafepointNanos());
                events.markingEnded();
                cpu.time(Part.PLAN, engine::planConcurrent);
                // The TAIL pause lies inside PLANNING (one span for all of planning, as with JFR's one event).
                long tailStart = timeline.begin(Phase.TAIL);
                SafepointSession ts = heap.stopTheWorld(wait); // retires the TLABs
                try (ts) {
                    internals.clearRootCards(); // before planTailAhead reads the root slots (gc/roots.c)
                }
                tail = new CyclePause(Kind.TAIL, timeline.end(Phase.TAIL, ts.releasedNanos()) - tailStart,
                        ts.timeToSafepointNanos());
                cpu.time(Part.PLAN, engine::planTailAhead);
                events.planningEnded();  // (a listener's time is planning's, never the flip pause's)
                planEnd = timeline.next(Phase.PLANNING, Phase.FLIP);
                long flipStart = planEnd, ttsp, flipped;
                // Planning ran on this thread right up to here: the flip pause is requested at once.
                SafepointSession f = heap.stopTheWorld(wait);
                try (f) {
                    ttsp = f.timeToSafepointNanos();
                    // The tail's plan is part of the flip pause (flipNanos), and its CPU time the flip's:
                    // the engine measures both itself (ugc_gc_stats flip_user_ns), no Java reading in the pause.
                    long newTop = engine.planTail();
                    engine.flip(mode.nativeMode(), uffdFd);
                    internals.resetTop(newTop);
                    flipped = System.nanoTime();
                }
                long end = timeline.end(Phase.FLIP, f.releasedNanos());
                CyclePause flip = new CyclePause(Kind.FLIP, end - flipStart, ttsp);
                return new PrePhases(start, flipStart, ttsp, markEnd - markStart, planEnd - resumed, flipped - flipStart,
                        end, List.of(begin, remark, tail, flip));
            } catch (RuntimeException | Error e) {
                internals.cancelMarking();
                if (begun) engine.markCancel();
                throw e;
            }
        }
    }
}
