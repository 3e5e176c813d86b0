package dev.strata.kmeans;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.vector.FloatMatrix;
import dev.strata.vector.Kernels;
import dev.strata.vector.NearestCentroids;
import dev.strata.vector.Workers;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HamerlyBoundsTest {

    @Test
    void slabsOfRowsGiveTheAssignmentOfOneSearch() {
        int[] labels = new int[8 * 700];
        FloatMatrix data = ChunkedPoolTest.chunkedCopy(KMeansTest.blobs(8, 700, 10, 4, labels), 999);
        Random r = new Random(2);
        FloatMatrix before = FloatMatrix.zeros(30, 10);
        FloatMatrix after = FloatMatrix.zeros(30, 10);
        for (int c = 0; c < 30; c++) {
            before.setRow(c, data.row(r.nextInt(data.rows())));
            float[] moved = before.row(c);
            for (int j = 0; j < moved.length; j++) {
                moved[j] += (float) r.nextGaussian() * 0.5f;
            }
            after.setRow(c, moved);
        }
        try (Workers w = new Workers(2);
                NearestCentroids nearest = new NearestCentroids(Kernels.fastest(), w)) {
            // slabs of one block (256 rows, ending mid-chunk and mid-data) against one slab of everything
            HamerlyBounds slabs = new HamerlyBounds(data, nearest, w, new DistanceCount(), 256);
            HamerlyBounds whole = new HamerlyBounds(data, nearest, w, new DistanceCount(), Integer.MAX_VALUE);
            slabs.initial(before);
            whole.initial(before);
            assertArrayEquals(whole.assignment(), slabs.assignment());
            // the bounds set by the slabs decide which rows the next step searches: the same result
            slabs.reassign(before, after);
            whole.reassign(before, after);
            assertArrayEquals(whole.assignment(), slabs.assignment());
        }
    }

    @Test
    void slabsAreWholeBlocksAndFitTheirArraysPastTwoToTheThirtyRows() {
        // two nearest per row of 1.5e9 rows: 3e9 entries, past an int-indexed array
        int rows = 1_500_000_000;
        int slab = HamerlyBounds.slabRows(rows, 256, HamerlyBounds.SLAB_ROWS);
        assertEquals(HamerlyBounds.SLAB_ROWS, slab);
        assertEquals(0, slab % 256);
        assertEquals(true, 2L * slab <= Integer.MAX_VALUE);
        assertEquals(256, HamerlyBounds.slabRows(rows, 256, 100), "at least one block");
        assertEquals(300, HamerlyBounds.slabRows(300, 256, 1 << 20), "no more than the data");
    }
}
