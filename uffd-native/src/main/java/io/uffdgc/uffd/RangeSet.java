package io.uffdgc.uffd;

import java.util.Map;
import java.util.TreeMap;

/**
 * A set of address ranges, merged when they touch: the record of what is
 * registered with one userfaultfd. Readers (every copy/move checks its destination)
 * see an immutable snapshot without locking; the rare writers copy and republish.
 */
final class RangeSet {
    private volatile TreeMap<Long, Long> starts = new TreeMap<>(); // start -> end (exclusive)

    synchronized void add(long start, long end) {
        TreeMap<Long, Long> next = new TreeMap<>(starts);
        Map.Entry<Long, Long> before = next.floorEntry(start);
        if (before != null && before.getValue() >= start) {
            start = before.getKey();
            end = Math.max(end, before.getValue());
        }
        Map.Entry<Long, Long> after;
        while ((after = next.ceilingEntry(start)) != null && after.getKey() <= end) {
            end = Math.max(end, after.getValue());
            next.remove(after.getKey());
        }
        next.put(start, end);
        starts = next;
    }

    synchronized void remove(long start, long end) {
        TreeMap<Long, Long> next = new TreeMap<>(starts);
        // Ranges are disjoint and sorted: walk down from the last one starting before end
        // while they still reach past start, keeping the parts outside [start, end).
        Map.Entry<Long, Long> e = next.lowerEntry(end);
        while (e != null && e.getValue() > start) {
            long k = e.getKey(), v = e.getValue();
            next.remove(k);
            if (k < start) next.put(k, start);
            if (v > end) next.put(end, v);
            e = next.lowerEntry(k);
        }
        starts = next;
    }

    /** True if [start, end) lies inside one range of the set. */
    boolean covers(long start, long end) {
        Map.Entry<Long, Long> e = starts.floorEntry(start);
        return e != null && e.getValue() >= end;
    }
}
