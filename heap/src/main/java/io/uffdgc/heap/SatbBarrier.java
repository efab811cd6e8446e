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
 * </ol>
 */
final class SatbBarrier {
    /** Read plainly by every reference store (B1); the barrier's whole fast path is this load and a branch. */
    boolean active;
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
        active = !disabledForTesting;
    }

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
