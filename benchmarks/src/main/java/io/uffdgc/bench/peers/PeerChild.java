package io.uffdgc.bench.peers;

import io.uffdgc.bench.child.ProcStatus;
import io.uffdgc.bench.peers.PeerFigures.OpLatency;
import io.uffdgc.bench.peers.PeerFigures.Pauses;
import io.uffdgc.heap.verify.VerificationResult;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.lang.ref.Reference;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The main class of a child JVM of scripts/bench peers: builds one world, churns it,
 * prints one line of JSON ({@link PeerFigures}) on stdout and exits 0, or prints the
 * failure on stderr and exits 1. Arguments: {@code java|uffdgc} then the workload's
 * {@code --key=value} pairs ({@link PeerWorkload#toArgs()}). The JVM must be started
 * with {@link SafepointLog#jvmFlags}.
 */
public final class PeerChild {
    static final String JAVA = "java", UFFDGC = "uffdgc";

    private PeerChild() {}

    public static void main(String[] args) {
        try {
            if (args.length < 1) throw new IllegalArgumentException("usage: PeerChild java|uffdgc --key=value...");
            PeerWorkload w = PeerWorkload.fromArgs(Arrays.asList(args).subList(1, args.length));
            PeerFigures f = switch (args[0]) {
                case JAVA -> runJava(w);
                case UFFDGC -> runUffdgc(w);
                default -> throw new IllegalArgumentException("unknown world '" + args[0] + "': java or uffdgc");
            };
            System.out.println(PeerFigures.JSON.writeValueAsString(f));
            System.out.flush();
            System.exit(0);        // the collector's daemon threads need not wind down
        } catch (Throwable t) {
            t.printStackTrace();
            System.exit(1);
        }
    }

    static PeerFigures runJava(PeerWorkload w) throws InterruptedException {
        SafepointLog log = SafepointLog.ofThisJvm();
        long t0 = System.nanoTime();
        JavaWorld world = JavaWorld.build(w);
        double build = (System.nanoTime() - t0) / 1e9;
        Measured m = new Measured(log);
        Churn.Result r = Churn.run(world, w.mutators(), w.warmupSeconds(), w.seconds(), w.seed(), m);
        Reference.reachabilityFence(world);
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("allocated_objects", world.allocatedObjects);
        details.put("java_heap_used_mib_end", heap.getUsed() >> 20);
        details.put("java_heap_committed_mib_end", heap.getCommitted() >> 20);
        Pauses p = Pauses.of("JVM safepoint log, Total per safepoint", m.safepoints.totalNanos());
        return new PeerFigures("java-heap", jvmGcName(), p, p, m.safepoints.byOperation(), r.ops(), r.seconds(),
                r.opsPerSecond(), OpLatency.of(r.opLatencyNanos()), m.status.vmHwmKib(), m.rssMeanKib, m.rssMaxKib,
                m.collections, world.liveObjects, build, details);
    }

    static PeerFigures runUffdgc(PeerWorkload w) throws InterruptedException {
        SafepointLog log = SafepointLog.ofThisJvm();
        long t0 = System.nanoTime();
        try (UffdgcWorld world = UffdgcWorld.build(w)) {
            double build = (System.nanoTime() - t0) / 1e9;
            Measured m = new Measured(log);
            Churn.Result r = Churn.run(world, w.mutators(), w.warmupSeconds(), w.seconds(), w.seed(), new Churn.Phases() {
                @Override public void measuringStarted() { m.measuringStarted(); world.measuringStarted(); }

                @Override public void measuringStopped() {
                    world.measuringStopped();
                    m.measuringStopped();
                    m.ourHeapResident = world.residentBytes();
                }
            });
            Map<String, Object> details = new LinkedHashMap<>(world.tally());
            details.put("build_allocated_bytes", world.allocatedBytes());
            details.put("heap_resident_mib_end", m.ourHeapResident >> 20);
            details.put("jvm_gc", jvmGcName());
            details.put("jvm_collections", m.collections);
            VerificationResult v = world.verify();    // after the figures: a heap that fails throws, never reports
            details.put("verified_reachable_objects", v.reachableObjects());
            Map<String, Long> collections = new LinkedHashMap<>();
            world.tally().forEach((k, n) -> { if (k.startsWith("cycles")) collections.put(k, n); });
            return new PeerFigures("uffdgc-heap", "uffdgc MOVE", Pauses.of("uffdgc CycleStats.pauses, every pause of every cycle",
                    world.pauses()), Pauses.of("JVM safepoint log, Total per safepoint", m.safepoints.totalNanos()),
                    m.safepoints.byOperation(), r.ops(), r.seconds(), r.opsPerSecond(), OpLatency.of(r.opLatencyNanos()),
                    m.status.vmHwmKib(), m.rssMeanKib, m.rssMaxKib, collections, world.liveObjects(), build, details);
        }
    }

    /** The -XX:+Use...GC flag this JVM was started with, or the GC beans' names. */
    private static String jvmGcName() {
        return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.matches("-XX:\\+Use\\w+GC")).map(a -> a.substring("-XX:+Use".length(), a.length() - "GC".length())).findFirst()
                .orElseGet(() -> String.join("+", ManagementFactory.getGarbageCollectorMXBeans().stream()
                        .map(GarbageCollectorMXBean::getName).toList()));
    }

    /** What is taken at the measured period's ends: safepoint log stretch, GC bean counts, resident memory. */
    private static final class Measured implements Churn.Phases {
        final SafepointLog log;
        final Map<String, Long> collections = new LinkedHashMap<>();
        SafepointLog.Summary safepoints;
        ProcStatus status;
        RssSampler rss;
        long rssMeanKib, rssMaxKib;
        long ourHeapResident;

        Measured(SafepointLog log) { this.log = log; }

        @Override
        public void measuringStarted() {
            log.mark();
            rss = new RssSampler();
            for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans())
                collections.put(b.getName(), -b.getCollectionCount());
        }

        @Override
        public void measuringStopped() {
            try {
                rss.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            status = ProcStatus.read();         // after the last sample, so VmHWM bounds every sample
            rssMeanKib = rss.meanKib();
            rssMaxKib = Math.max(rss.maxKib(), status.vmRssKib());
            for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans())
                collections.merge(b.getName(), b.getCollectionCount(), Long::sum);
            safepoints = log.read();
        }
    }
}
