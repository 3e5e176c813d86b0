package dev.strata.kmeans;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.StrataException;
import java.util.List;
import org.junit.jupiter.api.Test;

class LevelPlanTest {

    private static void assertWellFormed(long rows, LevelPlan plan) {
        List<Integer> ks = plan.clusters();
        assertTrue(ks.get(0) <= rows / 2, "leaves hold at least 2 rows on average: " + ks);
        for (int t = 1; t < ks.size(); t++) {
            assertTrue(ks.get(t) < ks.get(t - 1), "levels shrink: " + ks);
            assertTrue(ks.get(t - 1) <= LevelPlan.MAX_RATIO * ks.get(t) + 1, "at most 10x between levels: " + ks);
        }
        assertEquals(ks.size(), plan.sampleSizes().size());
        plan.sampleSizes().forEach(s -> assertTrue(s >= 2));
    }

    @Test
    void thePapersPoolGetsFourLevelsNearItsOwn() {
        LevelPlan plan = LevelPlan.propose(743_000_000L);
        assertWellFormed(743_000_000L, plan);
        List<Integer> ks = plan.clusters();
        assertEquals(4, ks.size(), "the paper used 4 levels: " + ks);
        // the paper: 10M / 500k / 50k / 10k; within a factor of 2 at the ends
        assertTrue(ks.get(0) > 5_000_000 && ks.get(0) < 20_000_000, ks.toString());
        assertTrue(ks.get(3) > 5_000 && ks.get(3) < 20_000, ks.toString());
    }

    @Test
    void aToyPoolGetsTwoLevelsWithHalfTheMeanClusterAsSample() {
        LevelPlan plan = LevelPlan.propose(200_000);
        assertWellFormed(200_000, plan);
        assertEquals(List.of(2000, 224), plan.clusters());
        assertEquals(List.of(50, 4), plan.sampleSizes());
    }

    @Test
    void everySizeFromTinyToHugeIsWellFormed() {
        for (long rows = 4; rows < 5_000_000_000L; rows = rows * 3 + 1) {
            assertWellFormed(rows, LevelPlan.propose(rows));
        }
        assertEquals(
                List.of(30), LevelPlan.propose(3000).clusters(), "27 top clusters over 30 leaves would add nothing");
        assertThrows(StrataException.class, () -> LevelPlan.propose(3));
    }
}
