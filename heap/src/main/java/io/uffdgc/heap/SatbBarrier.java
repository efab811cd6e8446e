package io.uffdgc.heap;

import io.uffdgc.heap.internal.SatbSink;
import java.util.List;

/**
 * The heap's snapshot-at-the-beginning write barrier: whether marking is active, and
 * where full buffers go. One per heap, shared by its mutators; each mutator logs into
 * its own {@link SatbBuffer}.
 *
 * <p>Guarantees (numbered as SafepointCoordinator's):
 * <ol>
 *   <li>(B1) {@link #active} changes only inside a heap safepoint, written by the requester
 *       ({@link #begin}, {@link #end}). A mutator reads it with a plain load: it can only
 *       observe the change after a poll, a volatile read ordered after the write
 *       (SafepointCoordinator G3), and it never polls between reading the old value of a slot
 *       and storing the new one. So from its first heap access after the begin pause until the
 *       end pause, every store of every mutator logs; a mutator attaching meanwhile polls in
 *       attach() and logs from its first store.</li>
 *   <li>(B2) What a mutator logged before it stopped is pushed by {@link #drain}, in the end
 *       pause: SafepointCoordinator G2 makes its buffer writes visible to the requester.</li>
 *   <li>(B3) A buffer left over from an earlier cycle is emptied at {@link #begin} (its entries
 *       name objects of a heap that has been compacted since).</li>
 *   <li>(B4) A cycle given up ends with {@link #cancel}, outside a pause: a mutator that still
 *       sees active logs a few more references, which the engine drops once its queue is
 *       closed (ugc_gc_satb_push).</li>
 *   <li>(B5) A dropped root (a handle released or retargeted) is logged only until the marker has
 *       copied the root table ({@link #rootsCopied}, after ugc_gc_mark_roots returned): only each
 *       slot's value at begin must reach the marker, and from then on the copy holds it. A mutator
 *       reads {@link #rootsPending} (volatile) after {@link #active} and before it overwrites the
 *       slot: if it reads false, the copy's read of that slot happened before its write. One that
 *       still reads true logs a root the marker no longer needs, which costs only the log.</li>
 * </ol>
 */
final class SatbBarrier {
    /** Read plainly by every reference store (B1); the barrier's whole fast path is this load and a branch. */
    boolean active;
    /** Whether dropped roots must still be logged (B5): set at begin, cleared once the marker copied the roots. */
    private volatile boolean rootsPending;
    private volatile SatbSink sink;
    /** Test knob: begin() leaves the barrier off, so tests can show what a missing barrier loses. */
    private volatile boolean disabledForTesting;

    void setSink(SatbSink s) { this.sink = s; }

    SatbSink sink() {
        SatbSink s = sink;
        if (s == null) throw new IllegalStateException("marking is active but no collector takes the barrier's buffers");
        return s;
    }

    void disableForTesting() { disabledForTesting = true; }

    /** Requester, every mutator stopped: empties the buffers (B3), turns the barrier on. */
    void begin(List<Mutator> mutators) {
        if (sink == null) throw new IllegalStateException("no SATB sink installed: attach a collector first");
        for (Mutator m : mutators) m.satb.discard();
        rootsPending = true;
        active = !disabledForTesting;
    }

    /** Whether a root slot about to be overwritten must be logged (B5); read only where {@link #active} was true. */
    boolean logsRoots() { return rootsPending; }

    /** The cycle's thread, after the engine copied the root table's values (B5). */
    void rootsCopied() { rootsPending = false; }

    /** Requester, every mutator stopped: pushes what every buffer holds (B2). */
    void drain(List<Mutator> mutators) {
        SatbSink s = sink();
        for (Mutator m : mutators) m.satb.flushTo(s);
    }

    /** Requester, every mutator stopped, after drain: turns the barrier off. */
    void end() { active = false; }

    /** A cycle given up (B4); any thread. */
    void cancel() { active = false; }
}
