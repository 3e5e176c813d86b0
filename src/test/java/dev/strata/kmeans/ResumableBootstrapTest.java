package dev.strata.kmeans;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.StrataException;
import dev.strata.model.ClusterTree;
import dev.strata.model.Metric;
import dev.strata.progress.Progress;
import dev.strata.vector.FloatMatrix;
import dev.strata.vector.Kernels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bootstrap interrupted after any step resumes from its checkpoint and builds the model an uninterrupted run builds. */
class ResumableBootstrapTest {
    @TempDir
    Path dir;

    /** Stands for a kill: the process dies right after the n-th checkpoint reached the disk. */
    private static final class Killed extends RuntimeException {}

    /** Counts saves and loads; dies after {@code killAfter} saves (0 = never). */
    private static class Hooked extends Checkpoints {
        final int killAfter;
        int saves;
        boolean resumed;

        Hooked(Path dir, String key, int killAfter) {
            super(dir, key);
            this.killAfter = killAfter;
        }

        @Override
        BuildState load() {
            BuildState s = super.load();
            resumed = s != null;
            return s;
        }

        @Override
        void save(BuildState state) {
            super.save(state);
            saves++;
            if (saves == killAfter) {
                throw new Killed();
            }
        }
    }

    private static final List<LevelSpec> LEVELS =
            List.of(new LevelSpec(40, 6, 3), new LevelSpec(12, 0, 0, 2), new LevelSpec(4, 2, 1));

    private static ClusterTree fit(FloatMatrix data, Checkpoints checkpoints) {
        try (KMeans km = new KMeans(Kernels.fastest(), 2, Progress.silent())) {
            return new HierarchicalKMeans(km, Progress.silent())
                    .fit(
                            data,
                            LEVELS,
                            new KMeansConfig(1, 8, 0, Init.KMEANS_PLUS_PLUS, Metric.L2, 11),
                            Resampling.RANDOM,
                            null,
                            checkpoints);
        }
    }

    private static void assertSameModel(ClusterTree expected, ClusterTree actual, String what) {
        assertEquals(expected.depth(), actual.depth(), what);
        for (int t = 1; t <= expected.depth(); t++) {
            assertArrayEquals(
                    expected.level(t).centroids().data(),
                    actual.level(t).centroids().data(),
                    what + ", level " + t);
            assertArrayEquals(expected.level(t).parent(), actual.level(t).parent(), what + ", level " + t);
            assertArrayEquals(expected.level(t).size(), actual.level(t).size(), what + ", level " + t);
        }
        assertEquals(expected.poolLeafDistanceSq(), actual.poolLeafDistanceSq(), what);
    }

    @Test
    void aRunKilledAfterAnyStepResumesToTheSameModel() throws Exception {
        FloatMatrix data = KMeansTest.blobs(8, 100, 6, 5, new int[800]);
        ClusterTree uninterrupted = fit(data, Checkpoints.none());
        Hooked counting = new Hooked(dir.resolve("full"), "run", 0);
        assertSameModel(uninterrupted, fit(data, counting), "with checkpoints");
        int steps = counting.saves;
        // level 1: k-means + 3 steps, then the level; level 2 (split): one clustering, the level; level 3: 2 steps
        assertEquals(4 + 1 + 1 + 1 + 2, steps);
        for (int killAfter : new int[] {1, 2, 4, 5, 6, 8}) {
            Path work = dir.resolve("kill" + killAfter);
            assertThrows(Killed.class, () -> fit(data, new Hooked(work, "run", killAfter)));
            assertTrue(Files.exists(work.resolve(Checkpoints.FILE)));
            Hooked resumed = new Hooked(work, "run", 0);
            assertSameModel(uninterrupted, fit(data, resumed), "killed after step " + killAfter);
            assertTrue(resumed.resumed, "resumed from the checkpoint");
            assertEquals(steps - killAfter, resumed.saves, "only the steps after the kill were run again");
        }
    }

    @Test
    void aCheckpointOfOtherArgumentsIsRefused() {
        FloatMatrix data = KMeansTest.blobs(8, 100, 6, 5, new int[800]);
        assertThrows(Killed.class, () -> fit(data, new Hooked(dir, "levels 40,12,4", 2)));
        StrataException e =
                assertThrows(StrataException.class, () -> fit(data, new Checkpoints(dir, "levels 50,12,4")));
        assertTrue(e.getMessage().contains("is the checkpoint of another bootstrap"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void clearRemovesTheFinishedRunsCheckpoint() {
        FloatMatrix data = KMeansTest.blobs(8, 100, 6, 5, new int[800]);
        Checkpoints c = new Checkpoints(dir, "run");
        fit(data, c);
        assertTrue(Files.exists(dir.resolve(Checkpoints.FILE)));
        c.clear();
        assertFalse(Files.exists(dir.resolve(Checkpoints.FILE)));
    }
}
