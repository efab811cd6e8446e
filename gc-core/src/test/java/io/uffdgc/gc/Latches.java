package io.uffdgc.gc;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Waiting on a latch in a test: a latch never released fails the test instead of hanging it. */
final class Latches {
    static final long WAIT_SECONDS = 60;

    private Latches() {}

    static void await(CountDownLatch l) {
        try {
            if (!l.await(WAIT_SECONDS, TimeUnit.SECONDS))
                throw new AssertionError("latch not released in " + WAIT_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
