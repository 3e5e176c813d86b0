package dev.strata.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class LevelStatsTest {

    @Test
    void evenLevelIsBalancedAndNotCollapsed() {
        long[] sizes = new long[100];
        Arrays.fill(sizes, 50);
        LevelStats s = LevelStats.of(1, sizes);
        assertEquals(1.0, s.normalizedEntropy(), 1e-12);
        assertEquals(0.01, s.largestShare(), 1e-12);
        assertFalse(s.collapsed());
    }

    @Test
    void mostlySingletonsIsCollapsed() {
        long[] sizes = new long[100];
        Arrays.fill(sizes, 1);
        sizes[0] = 10;
        sizes[1] = 0;
        LevelStats s = LevelStats.of(1, sizes);
        assertEquals(0.98, s.singletonShare(), 1e-12);
        assertEquals(0.01, s.emptyShare(), 1e-12);
        assertTrue(s.collapsed());
    }

    @Test
    void oneParentSwallowingTheDataIsCollapsed() {
        long[] sizes = new long[100];
        Arrays.fill(sizes, 10);
        sizes[7] = 5000;
        LevelStats s = LevelStats.of(2, sizes);
        assertTrue(s.largestShare() > 0.8);
        assertTrue(s.collapsed());
        assertTrue(s.describe().startsWith("level 2: 100 clusters over 5990 points"), s.describe());
    }

    @Test
    void aDominantClusterIsNotedButNotCollapsed() {
        // the biggest concept of a Zipf pool in one top cluster: 17% of the points over 300 clusters
        long[] sizes = new long[300];
        Arrays.fill(sizes, 555);
        sizes[0] = 34_000;
        LevelStats s = LevelStats.of(2, sizes);
        assertFalse(s.collapsed());
        assertTrue(s.verdict().startsWith("dominant cluster: 17.0% of the points"), s.verdict());
        long[] even = new long[300];
        Arrays.fill(even, 10);
        assertEquals(null, LevelStats.of(2, even).verdict());
        sizes[0] = 200_000;
        assertTrue(
                LevelStats.of(2, sizes).verdict().startsWith("collapsed: one cluster holds"),
                LevelStats.of(2, sizes).verdict());
    }

    @Test
    void entropyOfOneClusterIsZeroAndOfNothingIsZero() {
        assertEquals(0.0, LevelStats.normalizedEntropy(new long[] {10, 0, 0}), 1e-12);
        assertEquals(0.0, LevelStats.normalizedEntropy(new long[] {0, 0}), 1e-12);
        assertEquals(1.0, LevelStats.normalizedEntropy(new long[] {7}), 1e-12);
    }
}
