package io.uffdgc.bench.compaction;

/**
 * A side thread that allocates Java garbage and calls System.gc() in a loop, so
 * JVM safepoints keep happening while mutators fault on missing heap pages: the
 * run shows that compaction never deadlocks against them (the fault path is C).
 */
final class JvmGcPressure implements AutoCloseable {
    private final Thread thread;
    private volatile boolean stop;
    private long calls;

    private JvmGcPressure() {
        thread = new Thread(this::loop, "jvm-gc-pressure");
        thread.setDaemon(true);
    }

    static JvmGcPressure start() {
        JvmGcPressure p = new JvmGcPressure();
        p.thread.start();
        return p;
    }

    private void loop() {
        Object[] keep = new Object[64];
        int i = 0;
        while (!stop) {
            for (int k = 0; k < 1000; k++) keep[i++ & 63] = new byte[1024];
            System.gc();
            calls++;
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Stops the thread; returns how many System.gc() calls it made. */
    long stop() throws InterruptedException {
        stop = true;
        thread.join();
        return calls;
    }

    @Override
    public void close() throws InterruptedException {
        if (!stop) stop();
    }
}
