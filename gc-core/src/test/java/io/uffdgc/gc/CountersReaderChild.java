package io.uffdgc.gc;

import io.uffdgc.gc.observe.CountersFile;
import io.uffdgc.gc.observe.LiveCounter;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.agrona.concurrent.status.CountersReader;

/**
 * The second process of {@link LiveCountersTest}: reads the counters file of heap args[1] until
 * its CYCLES counter reaches args[2], counting the distinct readings it saw on the way, then
 * prints every counter as name=value on one line and exits.
 */
public final class CountersReaderChild {
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        String heap = args[1];
        long cycles = Long.parseLong(args[2]);
        CountersFile.Opened opened = CountersFile.open(file);
        long readings = 0, lastMoved = -1;
        for (;;) {
            Map<LiveCounter, Long> v = read(opened.counters(), heap);
            long moved = v.getOrDefault(LiveCounter.PAGES_MOVED, -1L);
            if (moved != lastMoved) {
                readings++;
                lastMoved = moved;
            }
            if (v.getOrDefault(LiveCounter.CYCLES, 0L) >= cycles) {
                StringBuilder out = new StringBuilder("pid=" + opened.pid() + " readings=" + readings);
                v.forEach((c, x) -> out.append(' ').append(c.name()).append('=').append(x));
                System.out.println(out);
                return;
            }
            LockSupport.parkNanos(1_000_000);
        }
    }

    static Map<LiveCounter, Long> read(CountersReader r, String heap) {
        Map<LiveCounter, Long> v = new EnumMap<>(LiveCounter.class);
        r.forEach((id, typeId, key, label) -> {
            LiveCounter c = LiveCounter.ofTypeId(typeId);
            if (c != null && label.startsWith(heap + ": ")) v.put(c, r.getCounterValue(id));
        });
        return v;
    }
}
