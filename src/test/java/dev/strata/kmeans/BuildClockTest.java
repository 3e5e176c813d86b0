package dev.strata.kmeans;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The overall ETA weighs steps by their distance computations, so level 1 is nearly all of the run. */
class BuildClockTest {
    private static final List<LevelSpec> LEVELS = List.of(new LevelSpec(1000, 50, 3), new LevelSpec(100, 5, 3));

    private static int percent(BuildClock clock) {
        String text = clock.describe();
        return Integer.parseInt(text.substring("overall ".length(), text.indexOf('%')));
    }

    @Test
    void levelOneCarriesNearlyAllTheWork() {
        BuildClock clock = new BuildClock(1_000_000, LEVELS, 10);
        assertEquals("overall 0% done", clock.describe(), "no rate before a step is done");
        clock.stepDone(0, 0);
        int afterFirst = percent(clock);
        assertTrue(afterFirst > 50 && afterFirst < 100, clock.describe());
        assertTrue(clock.describe().contains("ETA"), clock.describe());
        for (int step = 1; step <= 3; step++) {
            clock.stepDone(0, step);
        }
        assertEquals(100, percent(clock), "the upper level is a rounding error next to level 1: " + clock.describe());
    }

    @Test
    void aResumedRunCountsTheEarlierStepsAsDone() {
        BuildClock fresh = new BuildClock(1_000_000, LEVELS, 10);
        fresh.stepDone(0, 0);
        fresh.stepDone(0, 1);
        BuildClock resumed = new BuildClock(1_000_000, LEVELS, 10);
        resumed.resumedAt(0, 1, true);
        assertEquals(percent(fresh), percent(resumed));
        assertEquals(
                "overall " + percent(fresh) + "% done", resumed.describe(), "no ETA until this process has a rate");
    }

    @Test
    void durationsReadAsAPersonWouldSayThem() {
        assertEquals("42 s", BuildClock.duration(42.4));
        assertEquals("3 min 5 s", BuildClock.duration(185));
        assertEquals("2 h 1 min", BuildClock.duration(7260));
    }
}
