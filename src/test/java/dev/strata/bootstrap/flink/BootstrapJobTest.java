package dev.strata.bootstrap.flink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.kmeans.HierarchicalKMeans;
import dev.strata.kmeans.KMeans;
import dev.strata.kmeans.LevelSpec;
import dev.strata.model.ClusterTree;
import dev.strata.model.ModelFile;
import dev.strata.progress.Progress;
import dev.strata.synth.GaussianMixture;
import dev.strata.synth.SyntheticData;
import dev.strata.vector.FloatMatrix;
import dev.strata.vector.Kernels;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster bootstrap as a real Flink job in BATCH mode on a MiniCluster (2 tasks per pass), held
 * against `strata bootstrap`'s code on the same pool and seed: with a pool no larger than the
 * first k-means' sample, the passes, the per-cluster merges and the keyed splits must give exactly
 * the local model (same leaves, sizes and upper levels).
 */
class BootstrapJobTest {
    @TempDir
    static Path dir;

    static SyntheticData data;
    static Path pool;

    @BeforeAll
    static void pool() {
        data = new GaussianMixture(3000, 8, 30, 1.0, 7L).generate();
        pool = dir.resolve("pool.npy");
        data.write(pool);
    }

    private static ClusterBootstrapSpec spec(String levels, String extra, Path out) {
        return ClusterBootstrapSpec.parse(
                "input: " + pool + "\nout: " + out + "\nlevels: " + levels + "\niters: 20\nseed: 3\n" + "threads: 2\n"
                        + extra,
                "test",
                null);
    }

    private static JobExecutionResult runOnFlink(ClusterBootstrapSpec spec) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        BootstrapJob.build(env, spec, data.points().rows(), "pool.npy", 2);
        return env.execute("bootstrap-test");
    }

    private static ClusterTree local(ClusterBootstrapSpec spec) {
        List<LevelSpec> levels = spec.levelSpecs(data.points().rows());
        try (KMeans km = new KMeans(Kernels.fastest(), 2, Progress.silent())) {
            return new HierarchicalKMeans(km, Progress.silent())
                    .fit(data.points(), levels, spec.base(), spec.resamplingMode(), null);
        }
    }

    /** The split stage: rows keyed by coarse cluster, each group's k-means in its task, leaves as the local split numbers them. */
    @Test
    void splitPerCoarseClusterGivesTheLocalLevel() throws Exception {
        Path out = dir.resolve("split.model");
        ClusterBootstrapSpec spec =
                spec("[60, 8]", "splits: [6, 1]\nresampleSteps: [0, 2]\nsampleSizes: [2, 2]\n", out);
        JobExecutionResult r = runOnFlink(spec);
        assertEquals(1L, (Long) r.getAccumulatorResult(SliceScanner.PASSES), "a split level reads the pool once");
        assertEquals(3000L, (Long) r.getAccumulatorResult(SliceScanner.ROWS_SCANNED));
        assertSameTree(local(spec), ModelFile.read(out));
    }

    /** Resampling passes: kept rows merged per cluster across tasks, then the step's k-means on them. */
    @Test
    void resamplingPassesGiveTheLocalLevel() throws Exception {
        Path out = dir.resolve("resampled.model");
        ClusterBootstrapSpec spec = spec("[50, 10]", "sampleSizes: [6, 2]\nresampleSteps: 3\n", out);
        JobExecutionResult r = runOnFlink(spec);
        assertEquals(
                4L, (Long) r.getAccumulatorResult(SliceScanner.PASSES), "3 resampling steps + the final assignment");
        assertEquals(4 * 3000L, (Long) r.getAccumulatorResult(SliceScanner.ROWS_SCANNED));
        assertSameTree(local(spec), ModelFile.read(out));
    }

    private static void assertSameTree(ClusterTree expected, ClusterTree actual) {
        assertEquals(expected.depth(), actual.depth());
        for (int t = 1; t <= expected.depth(); t++) {
            assertArrayEquals(expected.level(t).size(), actual.level(t).size(), "sizes of level " + t);
            assertArrayEquals(expected.level(t).parent(), actual.level(t).parent(), "parents of level " + t);
            FloatMatrix e = expected.level(t).centroids();
            assertArrayEquals(e.data(), actual.level(t).centroids().data(), 1e-5f, "centroids of level " + t);
        }
        assertEquals(
                expected.poolLeafDistanceSq(),
                actual.poolLeafDistanceSq(),
                1e-6 * expected.poolLeafDistanceSq(),
                "the distances are summed in another order, and the last re-assignment computes them by another search");
    }
}
