package io.uffdgc.bench.report;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

class SpreadTest {
    @Test
    void medianOfOddAndEvenCounts() {
        assertEquals(new Spread(2, 1, 9, 3), Spread.of(List.of(9.0, 1.0, 2.0)));
        assertEquals(2.5, Spread.of(List.of(4.0, 1.0, 2.0, 3.0)).median());
    }

    @Test
    void ratioRangeUsesTheExtremes() {
        Spread a = Spread.of(List.of(6.0, 5.0, 7.0)), b = Spread.of(List.of(10.0, 9.0, 11.0));
        Spread r = a.over(b);
        assertEquals(0.6, r.median(), 1e-9);
        assertEquals(5.0 / 11, r.min(), 1e-9);
        assertEquals(7.0 / 9, r.max(), 1e-9);
    }

    @Test
    void noMeasurementIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> Spread.of(List.of()));
    }
}
