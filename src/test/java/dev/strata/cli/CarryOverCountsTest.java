package dev.strata.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.assign.ExactAssigner;
import dev.strata.assign.LeafAssigners;
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
}
