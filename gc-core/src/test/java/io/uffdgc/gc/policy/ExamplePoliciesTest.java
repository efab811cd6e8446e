package io.uffdgc.gc.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.uffdgc.gc.Mode;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The example policies trigger and choose as their javadoc says (a test clock: no timing). */
class ExamplePoliciesTest {
    private static final long MIB = 1 << 20, CAP = 1024 * MIB;

    @Test
    void allocationRateTriggersWhenTheFreeHeapWouldLastLessThanTheHeadroom() {
        AtomicLong now = new AtomicLong();
        AllocationRatePolicy p = new AllocationRatePolicy(Duration.ofSeconds(1), Mode.COPY, now::get);
        assertFalse(p.shouldCollect(new HeapUsage(100 * MIB, CAP, 0, 0)), "the first poll has no rate yet");
        now.addAndGet(100_000_000);                       // 0.1 s, 10 MiB: 100 MiB/s, 914 MiB free = 9 s left
        assertFalse(p.shouldCollect(new HeapUsage(110 * MIB, CAP, 0, 0)));
        assertEquals(100.0 * MIB, p.bytesPerSecond(), 1);
        now.addAndGet(100_000_000);                       // 0.1 s, 100 MiB: 1000 MiB/s, 814 MiB free = 0.8 s left
        assertTrue(p.shouldCollect(new HeapUsage(210 * MIB, CAP, 0, 0)), "fast allocation at 20% occupancy");
        now.addAndGet(100_000_000);                       // the same rate again, but the last cycle just left 200 MiB live
        assertFalse(p.shouldCollect(new HeapUsage(310 * MIB, CAP, 300 * MIB, 1)),
                "not again before an eighth of the free space was allocated");
        assertEquals(Mode.COPY, p.mode(new HeapUsage(310 * MIB, CAP, 300 * MIB, 1)));
        assertThrows(IllegalArgumentException.class, () -> new AllocationRatePolicy(Duration.ZERO, Mode.MOVE));
    }

    @Test
    void allocationRateLetsASlowHeapFillFurther() {
        AtomicLong now = new AtomicLong();
        AllocationRatePolicy p = new AllocationRatePolicy(Duration.ofSeconds(1), Mode.MOVE, now::get);
        p.shouldCollect(new HeapUsage(800 * MIB, CAP, 0, 0));
        now.addAndGet(1_000_000_000);                     // 1 MiB/s: 223 MiB free last minutes
        assertFalse(p.shouldCollect(new HeapUsage(801 * MIB, CAP, 0, 0)), "78% full, slow: no cycle");
    }

    @Test
    void fragmentationChoosesStwMoveOrCopy() {
        FragmentationPolicy p = FragmentationPolicy.defaults();   // 75%, STW up to 8 MiB live, MOVE from 30%
        assertFalse(p.shouldCollect(new HeapUsage(700 * MIB, CAP, 0, 0)), "below 75%: no cycle");
        assertTrue(p.shouldCollect(new HeapUsage(800 * MIB, CAP, 0, 0)));
        assertEquals(Mode.MOVE, p.mode(new HeapUsage(800 * MIB, CAP, 0, 0)), "nothing known yet");
        assertEquals(Mode.STW, p.mode(new HeapUsage(800 * MIB, CAP, 8 * MIB, 1)), "8 MiB live: a short pause");
        assertEquals(Mode.MOVE, p.mode(new HeapUsage(800 * MIB, CAP, 560 * MIB, 1)), "30% fragmented");
        assertEquals(Mode.COPY, p.mode(new HeapUsage(800 * MIB, CAP, 561 * MIB, 1)), "just under 30% fragmented");
        assertEquals(0.3, FragmentationPolicy.fragmentation(new HeapUsage(800 * MIB, CAP, 560 * MIB, 1)), 1e-12);
        assertEquals(Mode.MOVE, p.mode(), "an explicit collect(): MOVE");
        assertThrows(IllegalArgumentException.class, () -> new FragmentationPolicy(0.75, 0, 1.5));
    }
}
