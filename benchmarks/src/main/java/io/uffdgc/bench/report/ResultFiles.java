package io.uffdgc.bench.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes a result as {"config": {...}, "machine": {...}, "results": [...]}, and what a command adds. */
public final class ResultFiles {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ResultFiles() {}

    public static void write(Path file, Map<String, Object> config, List<Map<String, Object>> results)
            throws IOException {
        write(file, config, results, Map.of());
    }

    /** The same with more top-level entries after "results" (e.g. "ratios"). */
    public static void write(Path file, Map<String, Object> config, List<Map<String, Object>> results,
                             Map<String, Object> more) throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("config", config);
        root.put("machine", machine());
        root.put("results", results);
        root.putAll(more);
        if (file.getParent() != null) Files.createDirectories(file.getParent());
        JSON.writeValue(file.toFile(), root);
    }

    static Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        m.put("arch", System.getProperty("os.arch"));
        m.put("cpus", Runtime.getRuntime().availableProcessors());
        m.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        return m;
    }
}
