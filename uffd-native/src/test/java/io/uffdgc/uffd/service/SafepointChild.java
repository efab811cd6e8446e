package io.uffdgc.uffd.service;

import io.uffdgc.uffd.Mapped;
import io.uffdgc.uffd.Memory;
import io.uffdgc.uffd.TestThreads;
import io.uffdgc.uffd.Userfaultfd;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Run by SafepointTest in a child JVM: Java threads fault on a registered range page by
 * page while another thread forces JVM safepoints with System.gc(); the native service
 * resolves the faults. Prints "SAFEPOINT-OK ..." and exits 0 when every page read back
 * right; a deadlock shows as a child that never exits.
 */
public final class SafepointChild {
    static final long LEN = 64L << 20;
    static final int READERS = 3, ROUNDS = 2;

    public static void main(String[] args) throws Exception {
        long page = Memory.pageSize(), pages = LEN / page;
        long src = Memory.reserve(LEN, page), dst = Memory.reserve(LEN, page);
        Mapped.fill(src, LEN, 77);
        AtomicBoolean done = new AtomicBoolean();
        AtomicLong gcs = new AtomicLong(), bad = new AtomicLong();
        TestThreads gc = new TestThreads();
        gc.start("system-gc-loop", () -> {
            while (!done.get()) {
                System.gc();
                gcs.incrementAndGet();
                // A breath between collections: hundreds of safepoints a second still land
                // while faults are outstanding, and the readers are not starved for minutes.
                Thread.sleep(1);
            }
        });
        try (Userfaultfd uffd = Userfaultfd.open();
             Resolver copy = Resolver.copyFrom(dst, src, LEN);
             FaultService svc = FaultService.start(uffd, 2, copy)) {
            uffd.register(dst, LEN);
            MemorySegment s = Memory.segment(dst, LEN);
            for (int round = 0; round < ROUNDS; round++) {
                TestThreads readers = new TestThreads();
                for (int t = 0; t < READERS; t++) {
                    long first = t * pages / READERS;
                    readers.start("reader-" + t, () -> {
                        for (long i = 0; i < pages; i++) {
                            long off = ((first + i) % pages) * page;
                            if (s.get(ValueLayout.JAVA_LONG, off) != Mapped.pattern(77, off)) bad.incrementAndGet();
                        }
                    });
                }
                // (A deadlock is the parent's to detect: it kills this JVM long before.)
                readers.joinAll(Duration.ofMinutes(10), "readers still running");
                Memory.advise(dst, LEN, Memory.Advice.DONTNEED); // empty again: the next round faults anew
            }
            uffd.unregister(dst, LEN);
            System.out.println("SAFEPOINT-OK rounds=" + ROUNDS + " pages=" + pages + " gcs=" + gcs.get()
                    + " bad=" + bad.get() + " " + svc.stats());
        } finally {
            // Also when a reader failed: a System.gc() loop left running would keep this JVM alive.
            done.set(true);
            gc.joinAll(Duration.ofSeconds(10), "the System.gc() loop did not stop");
        }
        System.exit(bad.get() == 0 ? 0 : 2);
    }
}
