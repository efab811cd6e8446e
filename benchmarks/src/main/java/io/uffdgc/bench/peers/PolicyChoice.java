package io.uffdgc.bench.peers;

import io.uffdgc.gc.Mode;
import io.uffdgc.gc.policy.AllocationRatePolicy;
import io.uffdgc.gc.policy.CollectionPolicy;
import io.uffdgc.gc.policy.FragmentationPolicy;
import io.uffdgc.gc.policy.OccupancyPolicy;
import java.time.Duration;

/** The policies the uffdgc child can run (scripts/bench peers --policy). */
public enum PolicyChoice {
    /** MOVE cycles from the occupancy threshold (the default). */
    OCCUPANCY,
    /** MOVE cycles when, at the last poll's allocation rate, the free heap would last less than a second. */
    ALLOCATION_RATE,
    /** From the occupancy threshold, STW, MOVE or COPY by the expected fragmentation (FragmentationPolicy). */
    FRAGMENTATION;

    public CollectionPolicy policy(double occupancy) {
        return switch (this) {
            case OCCUPANCY -> new OccupancyPolicy(occupancy, Mode.MOVE);
            case ALLOCATION_RATE -> new AllocationRatePolicy(Duration.ofSeconds(1), Mode.MOVE);
            case FRAGMENTATION -> new FragmentationPolicy(occupancy, FragmentationPolicy.defaults().stwLiveBytes(),
                    FragmentationPolicy.defaults().moveFragmentation());
        };
    }

    /** The command-line name: occupancy, allocation-rate, fragmentation. */
    public String label() { return name().toLowerCase().replace('_', '-'); }

    public static PolicyChoice parse(String s) {
        for (PolicyChoice p : values()) if (p.label().equals(s.toLowerCase())) return p;
        throw new IllegalArgumentException("unknown policy '" + s + "': occupancy, allocation-rate or fragmentation");
    }
}
