package dev.strata.kmeans;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.model.ClusterTree;
import dev.strata.model.Metric;
import dev.strata.progress.Progress;
import dev.strata.vector.FloatMatrix;
import dev.strata.vector.Kernels;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A pool held in chunks (what a pool above 2^31 floats becomes) is clustered exactly as the same
 * pool in one array: chunks of 37 rows cut every kernel block, seeding block and anchored group,
 * so each path that walks or streams rows crosses chunk boundaries.
 */
class ChunkedPoolTest {
    static FloatMatrix chunkedCopy(FloatMatrix m, int rowsPerChunk) {
        FloatMatrix c = FloatMatrix.chunked(m.rows(), m.dim(), rowsPerChunk);
        c.setRows(0, m.rows(), m.data(), 0);
        assertTrue(c.chunked());
        return c;
    }

    @Test
    void kMeansOnChunksEqualsKMeansOnOneArray() {
        FloatMatrix data = KMeansTest.blobs(12, 150, 16, 3, new int[1800]);
        FloatMatrix chunks = chunkedCopy(data, 37);
        try (KMeans km = new KMeans(Kernels.fastest(), 2, Progress.silent())) {
            for (Init init : Init.values()) {
                KMeansConfig cfg = new KMeansConfig(30, 15, 0, init, Metric.L2, 9);
                KMeansResult one = km.fit(data, cfg);
                KMeansResult many = km.fit(chunks, cfg);
                assertArrayEquals(one.centroids().data(), many.centroids().data(), init.label());
                assertArrayEquals(one.assignment(), many.assignment(), init.label());
                assertArrayEquals(one.distanceSq(), many.distanceSq(), init.label());
                KMeansResult again = km.reassign(chunks, many.centroids(), one);
                assertArrayEquals(km.reassign(data, one.centroids(), one).assignment(), again.assignment());
            }
            // the tolerance path runs full searches (NearestCentroids.assign) at every step
            KMeansConfig tol = new KMeansConfig(20, 15, 1e-4, Init.KMEANS_PLUS_PLUS, Metric.L2, 2);
            assertArrayEquals(
                    km.fit(data, tol).centroids().data(),
                    km.fit(chunks, tol).centroids().data());
        }
    }

    @Test
    void hierarchicalBootstrapOnChunksEqualsOneArray() {
        FloatMatrix data = KMeansTest.blobs(10, 120, 8, 4, new int[1200]);
        FloatMatrix chunks = chunkedCopy(data, 37);
        List<LevelSpec> levels = List.of(new LevelSpec(40, 6, 3), new LevelSpec(10, 0, 0, 2), new LevelSpec(3, 2, 1));
        for (Metric metric : Metric.values()) {
            KMeansConfig cfg = new KMeansConfig(1, 10, 0, Init.KMEANS_PLUS_PLUS, metric, 5);
            ClusterTree one;
            ClusterTree many;
            try (KMeans km = new KMeans(Kernels.fastest(), 2, Progress.silent())) {
                one = new HierarchicalKMeans(km, Progress.silent()).fit(data, levels, cfg, Resampling.CLOSEST, null);
                many = new HierarchicalKMeans(km, Progress.silent()).fit(chunks, levels, cfg, Resampling.CLOSEST, null);
            }
            for (int t = 1; t <= one.depth(); t++) {
                assertArrayEquals(
                        one.level(t).centroids().data(),
                        many.level(t).centroids().data(),
                        metric + " level " + t);
                assertArrayEquals(one.level(t).size(), many.level(t).size(), metric + " level " + t);
            }
            assertEquals(one.poolLeafDistanceSq(), many.poolLeafDistanceSq());
        }
    }
}
