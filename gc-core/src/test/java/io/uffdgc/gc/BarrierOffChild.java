package io.uffdgc.gc;

import io.uffdgc.heap.Heap;
import io.uffdgc.heap.HeapConfig;
import io.uffdgc.heap.internal.HeapInternals;

/**
 * Run in a child JVM by {@link ConcurrentMarkingTest}: the rewiring workload under concurrent
 * marking with the write barrier switched off (the test knob). A lost object can corrupt
 * the heap, so this runs apart from the suite's JVM. Arguments: cycles, marking threads. Prints LOST and exits {@link #LOST_EXIT}
 * as soon as a model check fails; exits 0 if nothing was lost in all cycles.
 */
public final class BarrierOffChild {
    static final int LOST_EXIT = 3;

    public static void main(String[] args) {
        int cycles = Integer.parseInt(args[0]);
        int markThreads = Integer.parseInt(args[1]);
        boolean control = args.length > 2 && args[2].equals("with-barrier"); // by hand: the same run, barrier on
        Mode mode = Mode.STW; // no userfaultfd needed: the loss happens in marking, whatever compacts afterwards
        try (Heap heap = Heap.create(HeapConfig.defaults().withName("barrier-off").withCapacity(96L << 20)
                     .withMaxHandles(1 << 16));
             Collector collector = Collector.attach(heap, ConcurrentMarkingTest.concurrent().withMarkThreads(markThreads))) {
            if (!control) HeapInternals.of(heap).disableBarrierForTesting();
            try (MutatorHarness mutators = ConcurrentMarkingTest.rewiring(heap, 2)) {
                for (int c = 1; c <= cycles; c++) {
                    try {
                        mutators.cycle(collector, mode);
                    } catch (AssertionError | RuntimeException e) {
                        System.out.println("LOST after cycle " + c + " of " + cycles + ": " + e);
                        System.out.flush();
                        Runtime.getRuntime().halt(LOST_EXIT); // the heap is corrupt: no orderly close
                    }
                }
            }
        }
        System.out.println("NOTHING LOST in " + cycles + " cycles " + (control ? "with" : "without") + " the barrier");
        System.exit(0);
    }
}
