package dev.strata.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class InputProgressTest {
    /** A job that reads 10k rec/s for the first half and 40k rec/s after, curating one row in ten. */
    private static List<long[]> curated(long records, Random rnd) {
        List<long[]> sends = new ArrayList<>();
        for (long row = 0; row < records; row++) {
            if (rnd.nextInt(10) != 0) {
                continue;
            }
            double seconds =
                    row < records / 2 ? row / 10_000.0 : records / 2 / 10_000.0 + (row - records / 2) / 40_000.0;
            // sinks send a little after the read, by up to 50 ms
            sends.add(new long[] {row, 1_000_000L + Math.round(seconds * 1000) + rnd.nextInt(50)});
        }
        return sends;
    }

    @Test
    void theRateOfALateStretchOfTheInputIsReadFromTheCuratedRowsSendTimes() {
        long records = 400_000;
        List<long[]> sends = curated(records, new Random(3));
        InputProgress p = new InputProgress(sends.toArray(new long[0][]), records);
        assertEquals(40_000, p.rate(0.5, 0.95), 40_000 * 0.02);
        assertEquals(10_000, p.rate(0.05, 0.45), 10_000 * 0.02);
    }

    @Test
    void aTopUpAtTheEndOfTheInputDoesNotMoveTheMoments() {
        long records = 400_000;
        Random rnd = new Random(5);
        List<long[]> sends = curated(records, rnd);
        long end = sends.get(sends.size() - 1)[1];
        // the top-up: a few hundred earlier rows sent when the input ended
        for (int i = 0; i < 300; i++) {
            sends.add(new long[] {rnd.nextLong(records), end + 100});
        }
        InputProgress p = new InputProgress(sends.toArray(new long[0][]), records);
        assertEquals(40_000, p.rate(0.5, 0.95), 40_000 * 0.03);
    }

    @Test
    void tooFewCuratedRowsNearAMomentGiveNoRate() {
        InputProgress p = new InputProgress(new long[][] {{10, 1000}, {900, 2000}}, 1000);
        assertTrue(Double.isNaN(p.timeAt(0.5)));
        assertTrue(Double.isNaN(p.rate(0.5, 0.9)));
    }
}
