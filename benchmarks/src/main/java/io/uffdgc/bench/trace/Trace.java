package io.uffdgc.bench.trace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A trace file as {@link io.uffdgc.gc.observe.TraceWriter} writes it, parsed: its phase lines
 * and its cycle lines (each a JSON object; a line that does not parse is an error naming it).
 */
public record Trace(List<JsonNode> phases, List<JsonNode> cycles) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static Trace read(Path file) throws IOException {
        List<JsonNode> phases = new ArrayList<>(), cycles = new ArrayList<>();
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
                default -> throw new IOException(file + " line " + n + ": unknown type " + o.path("type"));
            }
        }
        return new Trace(phases, cycles);
    }

    /** The phase lines of one cycle of one heap. */
    public List<JsonNode> phasesOf(String heap, long cycle) {
        return phases.stream().filter(p -> p.path("heap").asText().equals(heap) && p.path("cycle").asLong() == cycle).toList();
    }
}
