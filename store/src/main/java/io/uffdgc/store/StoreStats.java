package io.uffdgc.store;

/**
 * A store's figures at one moment.
 *
 * @param entries            keys present
 * @param dataBytes          bytes of those keys and values: what the application stored
 * @param liveBytes          heap bytes the store keeps reachable, by its own exact count: every entry record,
 *                           key-value array and bucket table (data plus index)
 * @param lastCycleLiveBytes bytes the last collection found reachable, -1 before the first
 * @param heapUsedBytes      bytes claimed in the heap now (its top): live data plus garbage not yet collected
 * @param residentBytes      bytes of the heap's range resident in memory now (mincore)
 * @param collections        cycles the collector has run
 * @param lastPauseNanos     the last cycle's pause, 0 before the first
 * @param readsRepeated      lock-free reads (a lookup's copy, or a batch of forEach) that a same-length write
 *                           overlapped and that were done again under the segment's lock, since the store opened
 */
public record StoreStats(long entries, long dataBytes, long liveBytes, long lastCycleLiveBytes, long heapUsedBytes,
                         long residentBytes, long collections, long lastPauseNanos, long readsRepeated) {
    /** Resident bytes per byte of stored keys and values (NaN when empty). */
    public double residentOverData() { return dataBytes == 0 ? Double.NaN : (double) residentBytes / dataBytes; }
}
