package io.uffdgc.bench.replay;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;

/**
 * The main class of a child JVM that ReplayTest starts: builds a known graph (a chain of
 * CHAIN nodes holding 0..CHAIN-1, and an int[] of the squares) in a static root, then
 * writes a heap dump of its live objects to args[0].
 */
public final class HeapDumpChild {
    static final int CHAIN = 1000;

    static final class Node {
        final int value;
        final Node next;

        Node(int value, Node next) {
            this.value = value;
            this.next = next;
        }
    }

    static Node head;
    static int[] squares;

    private HeapDumpChild() {}

    public static void main(String[] args) throws Exception {
        for (int i = CHAIN - 1; i >= 0; i--) head = new Node(i, head);
        squares = new int[CHAIN];
        for (int i = 0; i < CHAIN; i++) squares[i] = i * i;
        ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).dumpHeap(args[0], true);
        System.exit(head.value + squares[1] == 1 ? 0 : 3);
    }
}
