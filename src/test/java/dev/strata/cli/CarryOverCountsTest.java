package dev.strata.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.assign.ExactAssigner;
import dev.strata.assign.LeafAssigners;
import dev.strata.job.QuotaWindows;
import dev.strata.job.WindowTime;
import dev.strata.model.ClusterTree;
import dev.strata.model.ModelFile;
import dev.strata.records.EmbeddingRecord;
import dev.strata.sampling.CarryOver;
import dev.strata.synth.GaussianMixture;
import dev.strata.synth.SyntheticData;
import dev.strata.vector.Kernels;
import dev.strata.vector.NearestCentroids;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CarryOverCountsTest {
    @TempDir
    Path dir;

    @Test
    void countsPerNewLeafMatchKeptIdsOnceAndCountsTheRestAsUnmapped() {
        ClusterTree tree = ModelFile.read(TestModels.dim8(dir));
        // more rows than one assignment block, so the counts span full and partial blocks
        SyntheticData data = new GaussianMixture(5000, 8, 5, 1.0, 2).generate();
        int[] leaf;
        try (NearestCentroids nearest = new NearestCentroids(Kernels.fastest(), 1)) {
            leaf = new ExactAssigner(tree, nearest).assign(data.points()).leaf();
        }
        Set<String> kept = Set.of("0", "4500", "4999", "gone-1", "gone-2");
        long[] seen = new long[tree.leaves().clusters()];
        long[] keptPerLeaf = new long[seen.length];
        CarryOver c;
        try (CarryOverCounts counts = new CarryOverCounts(tree, LeafAssigners.create(tree, 0), kept)) {
            for (int r = 0; r < 5000; r++) {
                counts.add(
                        new EmbeddingRecord(Integer.toString(r), data.points().row(r), null));
                seen[leaf[r]]++;
            }
            // a kept item re-sent by its crawler: seen again, not kept twice
            counts.add(new EmbeddingRecord("0", data.points().row(0), null));
            seen[leaf[0]]++;
            c = counts.result("a", "b", "in", "g", List.of());
        }
        for (String id : List.of("0", "4500", "4999")) {
            keptPerLeaf[leaf[Integer.parseInt(id)]]++;
        }
        assertArrayEquals(seen, c.seen());
        assertArrayEquals(keptPerLeaf, c.kept());
        assertEquals(2, c.keptUnmapped(), "two kept ids have no input record");
        assertEquals(5, c.keptTotal());
    }

    /**
     * Budgets per window: only the window of the latest timestamp counts (the one open at the stop),
     * whichever partition brings it; items of earlier windows are passed over, their kept ids matched
     * all the same; a kept id without a record counts as unmapped only in that window.
     */
    @Test
    void aWindowedRunCountsTheLatestWindowOnly() {
        ClusterTree tree = ModelFile.read(TestModels.dim8(dir));
        SyntheticData data = new GaussianMixture(300, 8, 5, 1.0, 3).generate();
        int[] leaf;
        try (NearestCentroids nearest = new NearestCentroids(Kernels.fastest(), 1)) {
            leaf = new ExactAssigner(tree, nearest).assign(data.points()).leaf();
        }
        long hour = 3_600_000L;
        QuotaWindows windows = new QuotaWindows(hour, WindowTime.EVENT, 1000);
        java.util.Map<String, Long> kept = new java.util.HashMap<>();
        kept.put("10", 0L); // window 0, closed
        kept.put("150", hour); // window 1, the open one
        kept.put("gone-0", 0L); // no record left, of a closed window
        kept.put("gone-1", hour); // no record left, of the open window
        long[] seen = new long[tree.leaves().clusters()];
        CarryOver c;
        try (CarryOverCounts counts = new CarryOverCounts(tree, LeafAssigners.create(tree, 0), kept, windows)) {
            // "partition 0": rows 0..199, windows 0 then 1; "partition 1": rows 200..299, window 0 only
            for (int r = 0; r < 200; r++) {
                long ts = r < 100 ? r * 1000L : hour + r * 1000L;
                counts.add(
                        new EmbeddingRecord(Integer.toString(r), data.points().row(r), null), ts);
                if (r >= 100) {
                    seen[leaf[r]]++;
                }
            }
            for (int r = 200; r < 300; r++) {
                counts.add(
                        new EmbeddingRecord(Integer.toString(r), data.points().row(r), null), r * 1000L);
            }
            assertEquals(java.util.Set.of("gone-0", "gone-1"), counts.keptLeft());
            c = counts.result("a", "b", "in", "g", List.of());
        }
        long[] keptPerLeaf = new long[seen.length];
        keptPerLeaf[leaf[150]]++;
        assertArrayEquals(seen, c.seen());
        assertArrayEquals(keptPerLeaf, c.kept());
        assertEquals(1, c.keptUnmapped(), "gone-1 only: gone-0 is of a closed window");
        assertEquals(new CarryOver.Window(hour, hour, hour + 100_000, hour + 199_000), c.window());
    }
}
