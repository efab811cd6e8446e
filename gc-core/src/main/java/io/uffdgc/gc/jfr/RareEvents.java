package io.uffdgc.gc.jfr;

import io.uffdgc.gc.CycleStats;
import io.uffdgc.uffd.gen.ugc_gc_stats;

/** The events that say something unusual happened; nothing at all while the recorder is off (JfrGate), else one shouldCommit() check. */
public final class RareEvents {
    private RareEvents() {}

    /** After a cycle: pages MOVE refused with EBUSY, compactor calls that stopped early or failed installs. */
    public static void afterCycle(String heap, CycleStats s) {
        if (!JfrGate.open()) return;
        long ebusy = s.pages().ebusyFallbacks();
        if (ebusy > 0) {
            EbusyFallbackEvent e = new EbusyFallbackEvent();
            if (e.shouldCommit()) {
                e.heap = heap;
                e.cycle = s.cycle();
                e.pages = ebusy;
                e.commit();
            }
        }
        long abandoned = s.engine().get(ugc_gc_stats::abandoned), errors = s.engine().get(ugc_gc_stats::errors);
        if (abandoned > 0 || errors > 0) {
            CompactorStoppedEvent e = new CompactorStoppedEvent();
            if (e.shouldCommit()) {
                e.heap = heap;
                e.cycle = s.cycle();
                e.abandoned = abandoned;
                e.errors = errors;
                e.lastErrno = s.engine().lastErrno();
                e.failure = "";
                e.commit();
            }
        }
    }

    /** A compactor thread threw: the cycle finishes its window, then fails. */
    public static void compactorFailed(String heap, long cycle, Throwable failure) {
        if (!JfrGate.open()) return;
        CompactorStoppedEvent e = new CompactorStoppedEvent();
        if (e.shouldCommit()) {
            e.heap = heap;
            e.cycle = cycle;
            e.failure = String.valueOf(failure);
            e.commit();
        }
    }

    /** At attach: wanted is not available here, using is what the collector uses instead, and why. */
    public static void fellBack(String heap, String wanted, String using, String reason) {
        if (!JfrGate.open()) return;
        ModeFallbackEvent e = new ModeFallbackEvent();
        if (e.shouldCommit()) {
            e.heap = heap;
            e.wanted = wanted;
            e.using = using;
            e.reason = reason;
            e.commit();
        }
    }
}
