package dev.strata.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** V of a window from the arrival rate: docs/algorithm.md section 5. */
class WindowVolumeTest {
    private static final long HOUR = 3_600_000L;

    @Test
    void theFirstWindowExtrapolatesItsOwnRateOverWhatIsLeftOfIt() {
        // 600 items in the first quarter hour of [0, 1h): 2400 at that rate
        assertEquals(2400, WindowVolume.estimate(600, 0, HOUR / 4, HOUR, Double.NaN), 1);
        // a job that starts halfway: 300 items over the quarter hour it has seen; the half it never saw is not quiet
        assertEquals(600, WindowVolume.estimate(300, HOUR / 2, 3 * HOUR / 4, HOUR, Double.NaN), 1);
    }

    @Test
    void laterWindowsTakeTheLastClosedWindowsRate() {
        double rate = WindowVolume.closedRate(1200, 0, HOUR); // 1200 an hour
        // a quarter into the next window with 100 items (a slower start): 100 + 1200 x 3/4
        assertEquals(1000, WindowVolume.estimate(100, HOUR, HOUR + HOUR / 4, 2 * HOUR, rate), 1);
        // a closed first window that began when the job did: its rate over the part it saw
        assertEquals(1200, WindowVolume.closedRate(600, HOUR / 2, HOUR) * HOUR, 1e-6);
    }

    @Test
    void neverBelowWhatHasArrived() {
        assertEquals(5000, WindowVolume.estimate(5000, 0, HOUR - 1, HOUR, 1e-9), "at the window's end: what arrived");
        assertEquals(5000, WindowVolume.estimate(5000, 0, HOUR - 1, HOUR, Double.NaN));
        assertEquals(0, WindowVolume.estimate(0, Long.MAX_VALUE, Long.MIN_VALUE, HOUR, 1.0), "nothing yet");
    }
}
