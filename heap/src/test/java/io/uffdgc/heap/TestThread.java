package io.uffdgc.heap;

import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * A worker thread whose failure reaches the test: {@link #join} waits for it (with a timeout)
 * and rethrows whatever it threw. An assertion on a bare thread that nobody joins cannot fail.
 * Also {@link #await}, for waiting on an observable event instead of sleeping.
 */
final class TestThread {
    /** Longer than any wait that is meant to succeed, shorter than the tests' @Timeout. */
    static final Duration PATIENCE = Duration.ofSeconds(20);

    /** A thread body that may throw anything. */
    @FunctionalInterface
    interface Body {
        void run() throws Exception;
    }

    private final Thread thread;
    private volatile Throwable failure;

    private TestThread(String name, Body body) {
        this.thread = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable t) {
                failure = t;
            }
        }, name);
        thread.setDaemon(true); // a hung worker must not keep the test JVM alive
    }

    /** Starts body on a new thread; {@link #join} it. */
    static TestThread start(String name, Body body) {
        TestThread t = new TestThread(name, body);
        t.thread.start();
        return t;
    }

    /** Runs body on a new thread and returns when it has finished; rethrows what it threw. */
    static void run(String name, Body body) {
        start(name, body).join();
    }

    Thread thread() { return thread; }

    /** Waits for the thread to end and rethrows its failure, wrapped in an AssertionError naming the thread. */
    void join() {
        try {
            thread.join(PATIENCE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while joining thread '" + thread.getName() + "'", e);
        }
        if (thread.isAlive()) {
            AssertionError e = new AssertionError("thread '" + thread.getName() + "' still runs after " + PATIENCE
                    + " (its stack trace is this error's)");
            e.setStackTrace(thread.getStackTrace());
            throw e;
        }
        Throwable f = failure;
        if (f != null) throw new AssertionError("thread '" + thread.getName() + "' failed: " + f, f);
    }

    /** Joins every thread, then throws the first failure with the others suppressed. */
    static void joinAll(List<TestThread> threads) {
        AssertionError first = null;
        for (TestThread t : threads) {
            try {
                t.join();
            } catch (AssertionError e) {
                if (first == null) first = e;
                else first.addSuppressed(e);
            }
        }
        if (first != null) throw first;
    }

    /**
     * Waits until condition holds, yielding the core meanwhile (this machine may have only two);
     * fails naming what it waited for after {@link #PATIENCE}.
     */
    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) throw new AssertionError("waited " + PATIENCE + " for " + what);
            Thread.yield();
        }
    }

    /**
     * Waits until thread t is WAITING (parked without a timeout, as a stopped mutator is), then
     * checks it stays so across many looks, the other threads running meanwhile: a thread that
     * parks and returns at once in a loop (spins) is soon seen RUNNABLE.
     */
    static void awaitStaysParked(Thread t) {
        await("thread '" + t.getName() + "' to park", () -> t.getState() == Thread.State.WAITING);
        for (int look = 1; look <= 10_000; look++) {
            Thread.State s = t.getState();
            if (s != Thread.State.WAITING)
                throw new AssertionError("thread '" + t.getName() + "' parked, then was " + s + " at look " + look
                        + ": it spins instead of staying parked");
            Thread.yield();
        }
    }
}
