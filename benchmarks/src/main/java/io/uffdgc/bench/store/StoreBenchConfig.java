package io.uffdgc.bench.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;

/**
 * What every child of scripts/bench store runs, whichever store it holds; travels to the child
 * as one JSON argument.
 *
 * @param records    YCSB records loaded before the workloads (recordcount)
 * @param operations YCSB operations per workload (operationcount), the same for every store
 * @param threads    YCSB client threads
 * @param workloads  YCSB core workloads to run after the load, in order (of a, b, c, d, f)
 * @param churnKeys  keys the churn keeps live
 * @param churnOps   churn operations after the fill, the same for every store
 * @param seed       the churn's random seed (YCSB's generators seed themselves)
 * @param collectEveryMillis for stores with a collector (ours): after the workloads, each workload but D
 *                   runs once more as "W+gc" while a thread requests a collection this often, so that
 *                   reads meet collections (YCSB's updates write in place and leave the policy no
 *                   garbage to act on); 0: no such phases
 */
public record StoreBenchConfig(long records, long operations, int threads, List<String> workloads, int churnKeys,
                               long churnOps, long seed, long collectEveryMillis) {
    static final ObjectMapper JSON = new ObjectMapper();

    public StoreBenchConfig {
        if (records < 1 || records > Integer.MAX_VALUE / 2)
            throw new IllegalArgumentException("records " + records + " is not in 1.." + Integer.MAX_VALUE / 2);
        if (operations < 1) throw new IllegalArgumentException("operations " + operations + " is not positive");
        if (threads < 1 || threads > 64) throw new IllegalArgumentException("threads " + threads + " is not in 1..64");
        workloads = List.copyOf(workloads);
        for (String w : workloads) YcsbWorkloads.properties(w);    // names checked here, not in a child
        if (churnKeys < 1) throw new IllegalArgumentException("churn keys " + churnKeys + " is not positive");
        if (churnOps < 1) throw new IllegalArgumentException("churn operations " + churnOps + " is not positive");
        if (collectEveryMillis < 0)
            throw new IllegalArgumentException("collection period " + collectEveryMillis + " ms is negative");
    }

    String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static StoreBenchConfig fromJson(String s) throws JsonProcessingException { return JSON.readValue(s, StoreBenchConfig.class); }
}
