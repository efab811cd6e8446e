package io.uffdgc.bench.trace;

import com.fasterxml.jackson.databind.JsonNode;
import io.uffdgc.bench.report.Charts;
import io.uffdgc.gc.observe.Phase;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * scripts/trace-plot: a trace's phases as a timeline, one lane per thread, one colour per phase,
 * and, if the trace has fault lines (--trace-faults), a lane with every fault's stall.
 */
@Command(name = "trace-plot", mixinStandardHelpOptions = true,
        description = "Draws a trace (scripts/bench --trace FILE) as a timeline PNG: phases per thread over time.")
public final class TracePlotCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "the trace")
    Path file;
    @Option(names = "--out", description = "the PNG (default: FILE with .png)")
    Path out;
    @Option(names = "--cycle", description = "draw only the n-th cycle of the file (1 = first; default: every cycle, "
            + "on one time axis)")
    Integer cycle;

    @Override
    public Integer call() throws Exception {
        Trace t = Trace.read(file);
        List<JsonNode> phases = t.phases(), faults = t.faults();
        if (cycle != null) {
            if (cycle < 1 || cycle > t.cycles().size())
                throw new IllegalArgumentException("--cycle " + cycle + ": the trace has " + t.cycles().size() + " cycles");
            JsonNode c = t.cycles().get(cycle - 1);
            phases = t.phasesOf(c.path("heap").asText(), c.path("cycle").asLong());
            faults = t.faultsOf(c.path("heap").asText(), c.path("cycle").asLong());
        }
        if (phases.isEmpty()) throw new IllegalArgumentException(file + " holds no phases");
        long t0 = phases.stream().mapToLong(p -> p.path("start_ns").asLong()).min().orElseThrow();
        // Lanes: the cycle, the cycle's thread, the window, each compactor thread (by its number, whatever the heap).
        Map<Phase, List<double[]>> spans = new EnumMap<>(Phase.class);
        Map<String, Integer> lanes = new LinkedHashMap<>();
        for (String l : List.of("cycle", "cycle thread", "window")) lanes.put(l, lanes.size());
        for (JsonNode p : phases) {
            Phase ph = Phase.valueOf(p.path("phase").asText());
            String lane = switch (ph) {
                case CYCLE -> "cycle";
                case WINDOW -> "window";
                case COMPACTOR -> "compactor " + p.path("thread").asText().replaceAll(".*-", "");
                default -> "cycle thread";
            };
            int y = lanes.computeIfAbsent(lane, k -> lanes.size());
            spans.computeIfAbsent(ph, k -> new ArrayList<>()).add(new double[] {
                    (p.path("start_ns").asLong() - t0) / 1e6, (p.path("end_ns").asLong() - t0) / 1e6, y});
        }
        Map<String, List<double[]>> byName = new LinkedHashMap<>();
        spans.forEach((ph, l) -> byName.put(ph.name().toLowerCase() + (ph.isPause() ? " (pause)" : ""), l));
        if (!faults.isEmpty()) {
            int y = lanes.computeIfAbsent("faults", k -> lanes.size());
            List<double[]> stalls = new ArrayList<>();
            for (JsonNode f : faults) {
                long start = f.path("start_ns").asLong() - t0;
                stalls.add(new double[] {start / 1e6, (start + f.path("stall_ns").asLong()) / 1e6, y});
            }
            byName.put("fault stall", stalls);
        }
        Path png = out != null ? out : file.resolveSibling(file.getFileName().toString().replaceFirst("\\.[^.]*$", "") + ".png");
        String title = cycle != null ? "Cycle " + cycle + " of " + file.getFileName() : "Cycles of " + file.getFileName();
        Charts.writePng(png, 1200, 420, Charts.timeline(title, List.copyOf(lanes.keySet()), byName));
        System.out.println("timeline: " + png + " (" + phases.size() + " phases, " + faults.size() + " faults, "
                + lanes.size() + " lanes)");
        return 0;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new TracePlotCommand()).execute(args));
    }
}
