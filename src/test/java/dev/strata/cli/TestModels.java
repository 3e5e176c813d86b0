package dev.strata.cli;

import dev.strata.kmeans.HierarchicalKMeans;
import dev.strata.kmeans.Init;
import dev.strata.kmeans.KMeans;
import dev.strata.kmeans.KMeansConfig;
import dev.strata.kmeans.LevelSpec;
import dev.strata.kmeans.Resampling;
import dev.strata.model.ClusterTree;
import dev.strata.model.Metric;
import dev.strata.model.ModelFile;
import dev.strata.progress.Progress;
import dev.strata.synth.GaussianMixture;
import dev.strata.synth.SyntheticData;
import dev.strata.vector.Kernels;
import java.nio.file.Path;
import java.util.List;

/** Small models the command tests run jobs with. */
final class TestModels {
    private TestModels() {}

    /** 20 leaves under 4 top clusters, 8 dimensions, built from a 500-row mixture; written to dir/dim8.model. */
    static Path dim8(Path dir) {
        SyntheticData data = new GaussianMixture(500, 8, 5, 1.0, 1).generate();
        ClusterTree tree;
        try (KMeans km = new KMeans(Kernels.fastest(), 1, Progress.silent())) {
            tree = new HierarchicalKMeans(km, Progress.silent())
                    .fit(
                            data.points(),
                            List.of(new LevelSpec(20, 0, 0), new LevelSpec(4, 0, 0)),
                            new KMeansConfig(1, 5, 0, Init.KMEANS_PLUS_PLUS, Metric.L2, 1),
                            Resampling.CLOSEST,
                            null);
        }
        Path model = dir.resolve("dim8.model");
        ModelFile.write(tree, model);
        return model;
    }
}
