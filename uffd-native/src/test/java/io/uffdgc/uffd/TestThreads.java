package io.uffdgc.uffd;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * Threads a test starts: {@link #joinAll} waits for every one and rethrows the first
 * failure any of them had, so an assertion or exception on a thread fails the test.
 * Also how the kernel sees a thread, for events no counter shows.
 */
public final class TestThreads {
    public interface Body {
        void run() throws Exception;
    }

    private static final MethodHandle GETTID = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("gettid").orElseThrow(), FunctionDescriptor.of(JAVA_INT));

    private final List<Thread> threads = new ArrayList<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    /** Starts a platform thread running body; what it throws is kept for joinAll. */
    public Thread start(String name, Body body) {
        Thread t = Thread.ofPlatform().name(name).start(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                if (!failure.compareAndSet(null, e)) failure.get().addSuppressed(e);
            }
        });
        threads.add(t);
        return t;
    }

    /** Joins every thread (all within timeout); fails naming those still running, else rethrows the first failure. */
    public void joinAll(Duration timeout, String stillRunning) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> alive = new ArrayList<>();
        for (Thread t : threads) {
            t.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (t.isAlive()) alive.add(t.getName());
        }
        if (!alive.isEmpty()) throw new AssertionError(stillRunning + ": " + alive, failure.get());
        if (failure.get() != null) throw new AssertionError("a thread failed: " + failure.get(), failure.get());
    }

    /** The calling thread's Linux thread id (gettid(2)). */
    public static int tid() {
        try {
            return (int) GETTID.invokeExact();
        } catch (Throwable e) {
            throw new IllegalStateException("gettid", e);
        }
    }

    /**
     * True while thread tid of this process sleeps in the kernel's userfaultfd wait
     * (/proc wchan handle_userfault): its fault message is queued on the userfaultfd.
     */
    public static boolean inUserfault(int tid) {
        try {
            return Files.readString(Path.of("/proc/self/task/" + tid + "/wchan")).equals("handle_userfault");
        } catch (NoSuchFileException e) {
            return false; // the thread has exited
        } catch (IOException e) {
            throw new IllegalStateException("reading /proc/self/task/" + tid + "/wchan", e);
        }
    }

    /** Polls until the condition holds; fails with the message once the deadline passes. */
    public static void await(BooleanSupplier condition, Duration deadline, String message) throws InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) throw new AssertionError(message + " (waited " + deadline.toMillis() + " ms)");
            Thread.sleep(1);
        }
    }
}
