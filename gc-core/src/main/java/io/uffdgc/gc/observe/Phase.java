package io.uffdgc.gc.observe;

/**
 * The parts of a cycle a {@link PhaseSpan} can cover, in the order a concurrent cycle runs
 * them. Pauses (MARK_BEGIN, REMARK, TAIL, FLIP) hold the mutators at a heap safepoint; the others
 * run beside them. With stop-the-world marking, MARKING and PLANNING lie inside the FLIP pause.
 */
public enum Phase {
    /** The whole cycle, from the collect() call's start until from-space was released. */
    CYCLE(false),
    /** Pause: the write barrier turns on, the top is remembered. */
    MARK_BEGIN(true),
    /** Marking: concurrent between MARK_BEGIN and REMARK, or inside the FLIP pause. */
    MARKING(false),
    /** Pause: the barrier buffers drained, marking finished. */
    REMARK(true),
    /** Planning: concurrent after REMARK (the TAIL pause inside it), or inside the FLIP pause. */
    PLANNING(false),
    /**
     * Pause inside concurrent PLANNING: every TLAB retired, so what was allocated since remark
     * parses up to the top; planning goes on after it with that tail, which FLIP then need not plan.
     */
    TAIL(true),
    /** Pause: roots forwarded, the heap moved to from-space (STW mode: and compacted). */
    FLIP(true),
    /** MOVE and COPY: from the mutators' resumption until the last compactor thread returned. */
    WINDOW(false),
    /** One compactor thread's downcall inside the window (one span per thread). */
    COMPACTOR(false),
    /** MOVE and COPY: leftover pages, unregistering, releasing from-space. */
    FINISH(false);

    private final boolean pause;

    Phase(boolean pause) { this.pause = pause; }

    /** Whether the mutators are stopped during it. */
    public boolean isPause() { return pause; }
}
