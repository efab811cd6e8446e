package io.uffdgc.heap;

import java.util.List;

/**
 * The words for a heap safepoint that waits too long (G9): which attached mutators are still
 * RUNNING, what their threads are doing (state and the top of the stack), and what to change.
 * Built only when a limit passed, never on the fast path.
 */
final class SafepointStragglers {
    private static final int MAX_FRAMES = 12;

    private SafepointStragglers() {}

    static String describe(String heapName, List<Mutator> running, long waitedNanos) {
        StringBuilder b = new StringBuilder()
                .append(running.size()).append(" mutator(s) did not reach the safepoint of heap '").append(heapName)
                .append("' within ").append(waitedNanos / 1_000_000).append(" ms: threads ")
                .append(running.stream().map(m -> "'" + m.owner.getName() + "'").toList());
        boolean waiting = false;
        for (Mutator m : running) {
            Thread t = m.owner;
            Thread.State state = t.getState();
            b.append("\n  '").append(t.getName()).append("' is attached and RUNNING; its thread is ").append(state);
            // Down to the first frame outside the JDK: the JDK's frames say how it waits, that one says where.
            for (StackTraceElement f : frames(t)) b.append("\n      at ").append(f);
            waiting |= state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING || state == Thread.State.BLOCKED;
        }
        b.append("\n(a mutator polls on allocation, handle creation and safepoint(); long loops without those");
        if (waiting) b.append(", and waits for other threads (join, locks, queues), e.g. for the thread that is collecting,");
        b.append(" must run in a blocking region: Mutator.blocking(...))");
        return b.toString();
    }

    private static List<StackTraceElement> frames(Thread t) {
        StackTraceElement[] stack = t.getStackTrace();
        int n = 0;
        while (n < Math.min(MAX_FRAMES, stack.length)) {
            String module = stack[n++].getModuleName();
            if (module == null || !(module.startsWith("java.") || module.startsWith("jdk."))) break;
        }
        return List.of(stack).subList(0, n);
    }
}
