package dev.strata.bootstrap.flink;

import dev.strata.kmeans.HierarchicalKMeans;
import dev.strata.kmeans.KMeans;
import dev.strata.kmeans.LevelSpec;
import dev.strata.model.BuildParams;
import dev.strata.model.ClusterTree;
import dev.strata.model.ModelFile;
import dev.strata.progress.Progress;
import dev.strata.vector.DotKernel;
import dev.strata.vector.Kernels;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Levels 2 and up (one task: they cluster centroids, not rows) with the steps and seeds of
 * `strata bootstrap`, then the model file in the model format, unchanged. Returns the line the
 * task log shows.
 */
final class UpperLevels extends RichMapFunction<Stage, String> {
    private static final Logger LOG = LoggerFactory.getLogger(UpperLevels.class);

    private final ClusterBootstrapSpec spec;
    private final long rows;
    private final String inputName;

    UpperLevels(ClusterBootstrapSpec spec, long rows, String inputName) {
        this.spec = spec;
        this.rows = rows;
        this.inputName = inputName;
    }

    @Override
    public String map(Stage stage) {
        LevelOne leaves = stage.result;
        List<LevelSpec> levels = spec.levelSpecs(rows);
        int threads = spec.threadsOr(Runtime.getRuntime().availableProcessors());
        DotKernel kernel = Kernels.fastest();
        List<Integer> splits = levels.stream().map(LevelSpec::splits).toList();
        BuildParams params = new BuildParams(
                levels.stream().map(LevelSpec::clusters).toList(),
                levels.stream().map(LevelSpec::sampleSize).toList(),
                levels.stream().map(LevelSpec::resampleSteps).toList(),
                spec.iters,
                spec.tolerance,
                spec.base().init().label(),
                spec.resamplingMode().label(),
                spec.seed,
                threads,
                kernel.name(),
                rows,
                inputName,
                splits.stream().allMatch(m -> m == 1) ? null : splits);
        ClusterTree tree;
        try (KMeans kmeans = new KMeans(kernel, threads, Progress.silent())) {
            tree = new HierarchicalKMeans(kmeans, Progress.silent())
                    .fitAbove(
                            leaves.matrix(),
                            leaves.sizes,
                            leaves.leafDistanceSq,
                            levels,
                            spec.base(),
                            spec.resamplingMode(),
                            params);
        }
        tree = write(tree, spec.out);
        String line = "model " + spec.out + " (version " + tree.version() + "): " + rows + " points, " + tree.depth()
                + " levels, " + tree.leaves().clusters() + " leaves";
        LOG.info(line);
        return line;
    }

    /**
     * A local path (or file://) is written in place, atomically; any other scheme (s3://, hdfs://)
     * is written to a temporary file and copied through Flink's file systems, as the curation job
     * reads models through them.
     */
    static ClusterTree write(ClusterTree tree, String out) {
        if (!out.contains("://") || out.startsWith("file://")) {
            return ModelFile.write(tree, Path.of(out.startsWith("file://") ? out.substring("file://".length()) : out));
        }
        try {
            Path tmp = java.nio.file.Files.createTempFile("strata-model", ".tmp");
            try {
                ClusterTree written = ModelFile.write(tree, tmp);
                org.apache.flink.core.fs.Path target = new org.apache.flink.core.fs.Path(out);
                try (java.io.OutputStream o = target.getFileSystem()
                        .create(target, org.apache.flink.core.fs.FileSystem.WriteMode.OVERWRITE)) {
                    java.nio.file.Files.copy(tmp, o);
                }
                return written;
            } finally {
                java.nio.file.Files.deleteIfExists(tmp);
            }
        } catch (java.io.IOException e) {
            throw new dev.strata.StrataException("cannot write model " + out + ": " + e.getMessage(), e);
        }
    }
}
