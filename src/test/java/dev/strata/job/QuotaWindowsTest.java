package dev.strata.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Window assignment from timestamps, the (window, top cluster) keys, and durations as the job file writes them. */
class QuotaWindowsTest {
    private static final long HOUR = 3_600_000L;
    private static final QuotaWindows HOURLY = new QuotaWindows(HOUR, WindowTime.EVENT, 1000);

    @Test
    void aTimestampFallsInTheEpochAlignedWindowThatHoldsIt() {
        long t = 1_700_000_000_000L; // 2023-11-14T22:13:20Z
        assertEquals(1_699_999_200_000L, HOURLY.start(t)); // 22:00
        assertEquals(1_699_999_200_000L, HOURLY.start(1_699_999_200_000L), "a window holds its start");
        assertEquals(1_699_999_200_000L + HOUR - 1, HOURLY.lastTimestamp(HOURLY.start(t)));
        assertEquals(1_699_999_200_000L + HOUR, HOURLY.start(1_699_999_200_000L + HOUR), "and not its end");
        QuotaWindows daily = new QuotaWindows(86_400_000L, WindowTime.PROCESSING, 0);
        assertEquals(1_699_920_000_000L, daily.start(t)); // 00:00 UTC
        assertEquals(-HOUR, HOURLY.start(-1), "before the epoch too");
    }

    @Test
    void aKeyNamesOneTopClusterOfOneWindow() {
        long start = HOURLY.start(1_700_000_000_000L);
        for (int top : new int[] {0, 7, (int) QuotaWindows.TOP_SLOTS - 1}) {
            long key = HOURLY.key(start, top);
            assertEquals(start, HOURLY.startOfKey(key));
            assertEquals(top, QuotaWindows.topOfKey(key));
        }
        assertEquals(HOURLY.key(start, 3) + QuotaWindows.TOP_SLOTS, HOURLY.key(start + HOUR, 3), "the next window");
    }

    @Test
    void durationsNeedTheirUnit() {
        assertEquals(Duration.ofMinutes(30), QuotaWindows.parse("30m"));
        assertEquals(Duration.ofHours(6), QuotaWindows.parse("6h"));
        assertEquals(Duration.ofDays(1), QuotaWindows.parse("1d"));
        assertEquals(Duration.ofSeconds(90), QuotaWindows.parse("90 s"));
        assertNull(QuotaWindows.parse("60"), "Flink would read 60 ms");
        assertNull(QuotaWindows.parse("soon"));
        assertNull(QuotaWindows.parse(""));
    }
}
