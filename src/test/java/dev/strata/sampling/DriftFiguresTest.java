package dev.strata.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The drift figures the planner shows and the rule of its rebuild warning. */
class DriftFiguresTest {
    @Test
    void totalVariationIsTheShareOfArrivalsInTheWrongClusters() {
        assertEquals(0, DriftFigures.totalVariation(new long[] {10, 30}, new long[] {100, 300}), 1e-12);
        assertEquals(1, DriftFigures.totalVariation(new long[] {0, 5}, new long[] {7, 0}), 1e-12);
        // a quarter of the arrivals would have to move from the second cluster to the first
        assertEquals(0.25, DriftFigures.totalVariation(new long[] {25, 75}, new long[] {50, 50}), 1e-12);
        assertEquals(0, DriftFigures.totalVariation(new long[] {0, 0}, new long[] {50, 50}), 1e-12);
    }

    @Test
    void distanceRatioIsUnknownWithoutThePoolsFigure() {
        assertEquals(2.0, DriftFigures.distanceRatio(40, 10, 2), 1e-12);
        assertTrue(Double.isNaN(DriftFigures.distanceRatio(40, 10, Double.NaN)));
        assertTrue(Double.isNaN(DriftFigures.distanceRatio(0, 0, 2)));
    }

    @Test
    void theRebuildWarningNeedsEnoughItemsAndOneFigureBeyondItsBound() {
        int tops = 10;
        long enough = DriftFigures.MIN_ITEMS_PER_TOP * tops;
        assertFalse(DriftFigures.rebuildRecommended(enough - 1, tops, 0.9, 5), "too early to tell");
        assertFalse(DriftFigures.rebuildRecommended(enough, tops, 0.3, 1.2));
        assertFalse(DriftFigures.rebuildRecommended(enough, tops, 0.3, Double.NaN), "an old model: shares only");
        assertTrue(DriftFigures.rebuildRecommended(enough, tops, 0.6, 1.0));
        assertTrue(DriftFigures.rebuildRecommended(enough, tops, 0.1, 2.5));
    }
}
