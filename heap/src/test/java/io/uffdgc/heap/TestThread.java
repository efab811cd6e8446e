package io.uffdgc.heap;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
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
     * Waits until thread t sleeps in native code (RUNNABLE to Java, asleep to the kernel, as a
     * mutator stopped in the safepoint barrier is), then checks it stays asleep across many
     * looks, the other threads running meanwhile: a thread that spins is soon seen running.
     */
    static void awaitSleepsInNative(Thread t) {
        await("thread '" + t.getName() + "' to sleep in native code",
                () -> t.getState() == Thread.State.RUNNABLE && kernelState(t) == 'S');
        for (int look = 1; look <= 2_000; look++) {
            char s = kernelState(t);
            if (s != 'S' || t.getState() != Thread.State.RUNNABLE)
                throw new AssertionError("thread '" + t.getName() + "' slept, then was " + s + " (" + t.getState()
                        + ") at look " + look + ": it spins instead of sleeping");
            Thread.yield();
        }
    }

    /**
     * The kernel's state letter for thread t (R running, S asleep, ...), from
     * /proc/self/task/TID/stat; the task is found by its name, which the JVM gives each thread
     * (its first 15 bytes), so t's name must be unique among the threads.
     */
    static char kernelState(Thread t) {
        String name = t.getName().length() > 15 ? t.getName().substring(0, 15) : t.getName();
        char found = 0;
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (var task : (Iterable<Path>) tasks::iterator) {
                try {
                    if (!Files.readString(task.resolve("comm")).strip().equals(name)) continue;
                    String stat = Files.readString(task.resolve("stat"));
                    if (found != 0) throw new AssertionError("two threads named '" + name + "'");
                    found = stat.charAt(stat.lastIndexOf(')') + 2); // "tid (comm) S ...": comm may hold ')'
                } catch (NoSuchFileException exited) {
                    // a task that ended while we looked
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (found == 0) throw new AssertionError("no task named '" + name + "' in /proc/self/task");
        return found;
    }
}
