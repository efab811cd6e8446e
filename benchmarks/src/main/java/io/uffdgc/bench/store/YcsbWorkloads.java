package io.uffdgc.bench.store;

import java.util.Map;
import java.util.Properties;

/**
 * YCSB's core workloads as its distribution's workloads/workload[a-f] files define them
 * (the files are not in the core artifact): the operation mix and the request distribution;
 * record and field sizes stay YCSB's defaults (10 fields of 100 bytes). E (scans) is left
 * out: none of the stores compared is ordered.
 */
final class YcsbWorkloads {
    private YcsbWorkloads() {}

    private static final Map<String, Map<String, String>> WORKLOADS = Map.of(
            "a", Map.of("readproportion", "0.5", "updateproportion", "0.5", "requestdistribution", "zipfian"),
            "b", Map.of("readproportion", "0.95", "updateproportion", "0.05", "requestdistribution", "zipfian"),
            "c", Map.of("readproportion", "1", "updateproportion", "0", "requestdistribution", "zipfian"),
            "d", Map.of("readproportion", "0.95", "updateproportion", "0", "insertproportion", "0.05",
                    "requestdistribution", "latest"),
            "f", Map.of("readproportion", "0.5", "updateproportion", "0", "readmodifywriteproportion", "0.5",
                    "requestdistribution", "zipfian"));

    /** The workload's own properties (scan and insert proportions 0 unless it sets them). */
    static Properties properties(String name) {
        Map<String, String> w = WORKLOADS.get(name.toLowerCase());
        if (w == null) throw new IllegalArgumentException("unknown YCSB workload '" + name + "': expected a, b, c, d or f");
        Properties p = new Properties();
        p.setProperty("scanproportion", "0");
        p.setProperty("insertproportion", "0");
        p.setProperty("readmodifywriteproportion", "0");
        p.setProperty("readallfields", "true");
        w.forEach(p::setProperty);
        return p;
    }
}
