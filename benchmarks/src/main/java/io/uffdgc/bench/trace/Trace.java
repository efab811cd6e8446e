package io.uffdgc.bench.trace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A trace file as {@link io.uffdgc.gc.observe.TraceWriter} writes it, parsed: its phase lines,
 * its cycle lines and its fault lines, if it has any (each a JSON object; a line that does not
 * parse is an error naming it).
 */
public record Trace(List<JsonNode> phases, List<JsonNode> cycles, List<JsonNode> faults) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static Trace read(Path file) throws IOException {
        List<JsonNode> phases = new ArrayList<>(), cycles = new ArrayList<>(), faults = new ArrayList<>();
        int n = 0;
        for (String line : Files.readAllLines(file)) {
            n++;
            if (line.isBlank()) continue;
            JsonNode o;
            try {
                o = JSON.readTree(line);
            } catch (IOException e) {
                throw new IOException(file + " line " + n + " is not JSON: " + e.getMessage(), e);
            }
            switch (o.path("type").asText()) {
                case "phase" -> phases.add(o);
                case "cycle" -> cycles.add(o);
                case "fault" -> faults.add(o);
                default -> throw new IOException(file + " line " + n + ": unknown type " + o.path("type"));
            }
        }
        return new Trace(phases, cycles, faults);
    }

    /** The phase lines of one cycle of one heap. */
    public List<JsonNode> phasesOf(String heap, long cycle) {
        return of(phases, heap, cycle);
    }

    /** The fault lines of one cycle of one heap. */
    public List<JsonNode> faultsOf(String heap, long cycle) {
        return of(faults, heap, cycle);
    }

    private static List<JsonNode> of(List<JsonNode> lines, String heap, long cycle) {
        return lines.stream().filter(p -> p.path("heap").asText().equals(heap) && p.path("cycle").asLong() == cycle).toList();
    }
}
