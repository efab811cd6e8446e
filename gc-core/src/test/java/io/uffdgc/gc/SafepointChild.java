package io.uffdgc.gc;

import io.uffdgc.heap.Heap;
import io.uffdgc.heap.HeapConfig;

/**
 * Run in a child JVM by {@link JvmSafepointTest}: mutators fault on to-space pages
 * during MOVE and COPY windows while another thread calls System.gc() in a loop (a
 * JVM safepoint per call). Exits 0 when every cycle completed and verified; a
 * deadlock shows as the parent's timeout.
 */
public final class SafepointChild {
    public static void main(String[] args) {
        int cycles = Integer.parseInt(args[0]);
        Thread gc = Thread.ofPlatform().daemon().name("system-gc-loop").start(() -> {
            while (true) System.gc();
        });
        try (Heap heap = Heap.create(HeapConfig.defaults().withName("jvm-safepoint").withCapacity(128L << 20)
                     .withMaxHandles(1 << 16));
             Collector collector = Collector.attach(heap, CollectorModesTest.manual());
             MutatorHarness mutators = new MutatorHarness(heap, 2, 800)) {
            for (int c = 0; c < cycles; c++) {
                mutators.cycle(collector, c % 2 == 0 ? Mode.MOVE : Mode.COPY);
                System.out.println("safepoint child: cycle " + (c + 1)); // progress, for the parent's watchdog
            }
        }
        System.out.println("safepoint child: " + cycles + " cycles done, System.gc() thread alive " + gc.isAlive());
        System.exit(0);
    }
}
