package io.uffdgc.bench.alloc;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.uffdgc.bench.report.ResultFiles;
import io.uffdgc.bench.report.Spread;
import io.uffdgc.uffd.Memory;
import io.uffdgc.uffd.Userfaultfd;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * scripts/bench alloc: filling a to-space page by page when pages must be allocated,
 * the case where the UFFDIO_MOVE commit says COPY is ~20% faster, beside the
 * recycled case of heap compaction where MOVE wins.
 *
 * <ul>
 *   <li>COPY: write a page's data into a reused scratch buffer, UFFDIO_COPY it (the
 *       kernel allocates the destination page and copies again);</li>
 *   <li>MOVE_FRESH: write the data into a fresh source page (the first write allocates
 *       it), UFFDIO_MOVE it;</li>
 *   <li>MOVE_RECYCLED: write the data into a source page allocated before timing (a
 *       from-space page whose contents are consumed), UFFDIO_MOVE it.</li>
 * </ul>
 * No thread touches the registered range while it is filled, so no fault is served
 * here: this measures the installing thread alone, per page and per 64-page ioctl.
 */
@Command(name = "alloc", mixinStandardHelpOptions = true,
        description = "To-space filled from fresh pages: MOVE against COPY (the commit's ~20%% claim), and MOVE of recycled pages.")
public final class AllocCommand implements Callable<Integer> {
    enum Way { COPY, MOVE_FRESH, MOVE_RECYCLED }

    @Option(names = "--pages", description = "pages per run (default ${DEFAULT-VALUE})", defaultValue = "16384")
    int pages;
    @Option(names = "--repeat", description = "runs per way and batch (default ${DEFAULT-VALUE})", defaultValue = "7")
    int repeat;
    @Option(names = "--batches", description = "pages per ioctl (default ${DEFAULT-VALUE})", defaultValue = "1,64", split = ",")
    List<Integer> batches;
    @Option(names = "--out", description = "result JSON (default ${DEFAULT-VALUE})", defaultValue = "results/alloc.json")
    Path out;

    @Override
    public Integer call() throws Exception {
        long page = Memory.pageSize();
        List<Map<String, Object>> results = new ArrayList<>();
        System.out.printf("alloc benchmark: %d pages (%d MiB) per run, %d runs, ns per page, medians [min-max]%n",
                pages, pages * page >> 20, repeat);
        System.out.printf("%-6s %-24s %-24s %-24s %-18s %-18s%n", "batch", "COPY", "MOVE fresh", "MOVE recycled",
                "MOVEfresh/COPY", "MOVErecycled/COPY");
        try (Userfaultfd uffd = Userfaultfd.open()) {
            for (int batch : batches) {
                if (batch < 1 || pages % batch != 0)
                    throw new IllegalArgumentException("batch " + batch + " must divide --pages " + pages);
                Map<Way, List<Double>> ns = new EnumMap<>(Way.class);
                for (Way w : Way.values()) ns.put(w, new ArrayList<>());
                for (int rep = 0; rep <= repeat; rep++) {
                    for (int k = 0; k < Way.values().length; k++) {
                        Way w = Way.values()[(k + rep) % Way.values().length];  // rotate the order
                        double v = run(uffd, w, batch, page);
                        if (rep > 0) ns.get(w).add(v);                        // run 0 warms up
                    }
                }
                Spread copy = Spread.of(ns.get(Way.COPY)), fresh = Spread.of(ns.get(Way.MOVE_FRESH)),
                        recycled = Spread.of(ns.get(Way.MOVE_RECYCLED));
                System.out.printf("%-6d %-24s %-24s %-24s %-18s %-18s%n", batch, fmt(copy), fmt(fresh), fmt(recycled),
                        String.format("%.2f", fresh.over(copy).median()), String.format("%.2f", recycled.over(copy).median()));
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("pages_per_ioctl", batch);
                for (Way w : Way.values()) r.put(w.name().toLowerCase() + "_ns_per_page", json(Spread.of(ns.get(w))));
                r.put("move_fresh_over_copy", fresh.over(copy).median());
                r.put("move_recycled_over_copy", recycled.over(copy).median());
                results.add(r);
            }
        }
        ResultFiles.write(out, Map.of("pages", pages, "repeat", repeat, "batches", batches), results);
        System.out.println("results: " + out);
        return 0;
    }

    /** One run: fills `pages` registered pages the given way; returns ns per page. */
    private double run(Userfaultfd uffd, Way way, int batch, long page) {
        long len = pages * page, chunk = batch * page;
        long dst = Memory.reserve(len, 2L << 20), src = Memory.reserve(len, 2L << 20);
        long scratch = Memory.reserve(chunk, page), data = Memory.reserve(chunk, page);
        try {
            Memory.advise(dst, len, Memory.Advice.NOHUGEPAGE);
            Memory.advise(src, len, Memory.Advice.NOHUGEPAGE);
            MemorySegment d = Memory.segment(data, chunk), s = Memory.segment(scratch, chunk);
            for (long o = 0; o < chunk; o += 8) d.set(JAVA_LONG, o, o * 31 + 7);
            s.fill((byte) 1);
            if (way == Way.MOVE_RECYCLED) Memory.segment(src, len).fill((byte) 1);   // allocated before timing
            uffd.register(dst, len);
            long t0 = System.nanoTime();
            for (long off = 0; off < len; off += chunk) {
                if (way == Way.COPY) {
                    MemorySegment.copy(d, 0, s, 0, chunk);
                    uffd.copy(dst + off, scratch, chunk);
                } else {
                    MemorySegment.copy(d, 0, Memory.segment(src + off, chunk), 0, chunk);
                    uffd.move(dst + off, src + off, chunk);
                }
            }
            long dt = System.nanoTime() - t0;
            MemorySegment out = Memory.segment(dst, len);
            for (long off = 0; off < len; off += chunk * 7 + page)
                if (out.asSlice(off, 8).get(JAVA_LONG, 0) != d.get(JAVA_LONG, off % chunk))
                    throw new IllegalStateException(way + ": page at offset " + off + " has the wrong content");
            uffd.unregister(dst, len);
            return (double) dt / pages;
        } finally {
            Memory.unmap(dst, len);
            Memory.unmap(src, len);
            Memory.unmap(scratch, chunk);
            Memory.unmap(data, chunk);
        }
    }

    private static String fmt(Spread s) {
        return String.format("%.0f [%.0f-%.0f]", s.median(), s.min(), s.max());
    }

    private static Map<String, Object> json(Spread s) {
        return Map.of("median", s.median(), "min", s.min(), "max", s.max());
    }
}
