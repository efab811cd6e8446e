package io.uffdgc.bench.peers;

import io.uffdgc.bench.child.ProcStatus;

/**
 * Samples this process's VmRSS every {@value #PERIOD_MS} ms on a daemon thread: one
 * reading would land wherever a collection cycle happens to be (a compacting collector
 * holds from- and to-space for a moment), the mean and maximum over the measured
 * period describe the steady state.
 */
final class RssSampler implements AutoCloseable {
    static final long PERIOD_MS = 50;

    private final Thread thread;
    private volatile boolean stop;
    private long samples, sumKib, maxKib;

    RssSampler() {
        thread = Thread.ofPlatform().daemon().name("peers-rss-sampler").start(this::loop);
    }

    private void loop() {
        while (!stop) {
            long rss = ProcStatus.read().vmRssKib();
            synchronized (this) {
                samples++;
                sumKib += rss;
                maxKib = Math.max(maxKib, rss);
            }
            try {
                Thread.sleep(PERIOD_MS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Stops sampling; waits for the sampler thread. */
    @Override
    public void close() throws InterruptedException {
        stop = true;
        thread.interrupt();
        thread.join();
    }

    synchronized long meanKib() { return samples == 0 ? 0 : sumKib / samples; }

    synchronized long maxKib() { return maxKib; }
}
