package io.uffdgc.bench.peers;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * What one child measured over the measured period. The child prints it as one JSON
 * line on stdout; the parent reads it back with the same {@link #JSON} mapper.
 *
 * @param world               "java-heap" (plain Java objects) or "uffdgc-heap"
 * @param gc                  the collector of the workload's objects
 * @param pauses              pauses the workload's collector imposed on the mutators
 * @param jvmSafepoints       every JVM safepoint of the child (for the Java heap, the same as pauses)
 * @param safepointOperations JVM safepoints per VM operation name
 * @param ops                 mutator operations completed (all threads)
 * @param seconds             length of the measured period
 * @param opsPerSecond        application throughput
 * @param opLatencyUs         latency of single operations, pauses and stalls included (µs), corrected for
 *                            coordinated omission
 * @param vmHwmKib            peak resident memory of the child (build phase included)
 * @param vmRssKib            resident memory, mean of samples over the measured period
 * @param vmRssMaxKib         resident memory, largest sample over the measured period
 * @param collections         collections during the measured period, by GC bean or cycle kind
 * @param liveObjects         objects the graph keeps live
 * @param buildSeconds        time to build the graph
 * @param details             world-specific extras (uffdgc: page counters, verification)
 */
record PeerFigures(String world, String gc, Pauses pauses, Pauses jvmSafepoints, Map<String, Long> safepointOperations,
                   long ops, double seconds, double opsPerSecond, OpLatency opLatencyUs, long vmHwmKib, long vmRssKib,
                   long vmRssMaxKib, Map<String, Long> collections, long liveObjects, double buildSeconds,
                   Map<String, Object> details) {

    static final ObjectMapper JSON = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    /** Pause durations: how many, percentiles, longest and sum, in milliseconds. */
    record Pauses(String measuredBy, long count, double p50Ms, double p99Ms, double maxMs, double totalMs) {
        static Pauses of(String measuredBy, Histogram nanos) {
            long n = nanos.getTotalCount();
            return new Pauses(measuredBy, n, n == 0 ? 0 : nanos.getValueAtPercentile(50) / 1e6,
                    n == 0 ? 0 : nanos.getValueAtPercentile(99) / 1e6, nanos.getMaxValue() / 1e6,
                    n == 0 ? 0 : nanos.getMean() * n / 1e6);
        }
    }

    /**
     * Operation latency percentiles in microseconds, corrected for coordinated omission: the
     * mutators run a closed loop, so an operation stuck in a pause kept the ones behind it
     * from being issued; HdrHistogram's {@code copyCorrectedForCoordinatedOmission} adds them,
     * one per expected interval, each with the latency it would have seen (the same as
     * {@code recordValueWithExpectedInterval} per operation). The figures as measured beside.
     *
     * @param correction         what was corrected, and how
     * @param expectedIntervalNs the expected interval: the median operation time as measured
     */
    record OpLatency(String correction, long expectedIntervalNs, double p50, double p99, double p999, double max,
                     double measuredP50, double measuredP99, double measuredP999) {
        static final String CORRECTION = "coordinated omission: HdrHistogram copyCorrectedForCoordinatedOmission,"
                + " expected interval = the median operation time as measured";

        static OpLatency of(Histogram measured) {
            long expected = Math.max(1, measured.getValueAtPercentile(50));
            Histogram c = measured.copyCorrectedForCoordinatedOmission(expected);
            return new OpLatency(CORRECTION, expected, c.getValueAtPercentile(50) / 1e3, c.getValueAtPercentile(99) / 1e3,
                    c.getValueAtPercentile(99.9) / 1e3, c.getMaxValue() / 1e3, measured.getValueAtPercentile(50) / 1e3,
                    measured.getValueAtPercentile(99) / 1e3, measured.getValueAtPercentile(99.9) / 1e3);
        }
    }
}
