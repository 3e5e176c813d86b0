package dev.strata.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.assign.ExactAssigner;
import dev.strata.assign.LeafAssignment;
import dev.strata.bootstrap.flink.ClusterBootstrapSpec;
import dev.strata.kmeans.HierarchicalKMeans;
import dev.strata.kmeans.KMeans;
import dev.strata.local.LocalFlinkCluster;
import dev.strata.local.ProjectHome;
import dev.strata.local.SharedKafka;
import dev.strata.model.ClusterTree;
import dev.strata.model.LevelStats;
import dev.strata.model.ModelFile;
import dev.strata.progress.Progress;
import dev.strata.sampling.BalancedSelection;
import dev.strata.sampling.LeafStrategy;
import dev.strata.synth.GaussianMixture;
import dev.strata.synth.Rings;
import dev.strata.synth.SyntheticData;
import dev.strata.vector.Kernels;
import dev.strata.vector.NearestCentroids;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `strata submit flink-jobs/bootstrap.yaml` on a real session cluster of a JobManager and two
 * TaskManagers (separate JVMs): the model the cluster builds has the quality of the one `strata
 * bootstrap` builds on one machine with the same settings and seed, measured as benchmark-quality
 * measures it (normalised entropy of the true labels of a balanced selection), on the paper's
 * rings (level 1 resampled: 2 steps, 3 passes) and on a Zipf mixture (level 1 split: one pass,
 * rows keyed by coarse cluster). Both pools fit the first k-means' sample (sampleRows), where the
 * cluster computes what `strata bootstrap` computes, so the two agree to rounding; the sampled
 * path of larger pools is compared over seeds by ClusterBootstrapBenchmark (docs/benchmarks.md).
 */
class ClusterBootstrapIT {
    private static final double TOLERANCE = 0.005;

    @TempDir
    static Path dir;

    static LocalFlinkCluster cluster;

    @BeforeAll
    static void start() {
        cluster = new LocalFlinkCluster(
                ProjectHome.find(), dir.resolve("flink"), SharedKafka.freePort(), SharedKafka.freePort());
        cluster.start(2);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.stop();
        }
    }

    @Test
    void ringsModelHasTheLocalQuality() throws Exception {
        SyntheticData rings = Rings.generate(Rings.paperSizes(), 1);
        double[] entropy = bootstrapBothWays(
                "rings", rings, "levels: [1000, 300]\nsampleSizes: [15, 2]\nresampleSteps: 2\n", 1000, 3);
        assertEquals(entropy[0], entropy[1], TOLERANCE, "rings: local " + entropy[0] + ", cluster " + entropy[1]);
    }

    @Test
    void zipfMixtureModelHasTheLocalQuality() throws Exception {
        SyntheticData zipf = new GaussianMixture(8_000, 16, 80, 1.0, 5L).generate();
        // level 1 as the paper's two-step level: one pass, rows keyed by coarse cluster, each split in its task
        double[] entropy =
                bootstrapBothWays("zipf", zipf, "levels: [80, 16]\nsplits: [8, 1]\nresampleSteps: [0, 2]\n", 800, 1);
        assertEquals(entropy[0], entropy[1], TOLERANCE, "zipf: local " + entropy[0] + ", cluster " + entropy[1]);
    }

    /** Returns the selection's label entropy with the local model and with the cluster's. */
    private double[] bootstrapBothWays(String name, SyntheticData data, String levels, int target, int passes)
            throws Exception {
        Path pool = dir.resolve(name + ".npy");
        data.write(pool);
        Path out = dir.resolve(name + ".model");
        Path job = dir.resolve(name + "-bootstrap.yaml");
        Files.writeString(
                job,
                "job: bootstrap\ninput: " + pool + "\nout: " + out + "\n" + levels
                        + "iters: 15\nseed: 2\nthreads: 1\n");
        CliRun submit = CliRun.of("submit", job.toString(), "--jobmanager", cluster.restUrl(), "--parallelism", "4");
        assertEquals(0, submit.exit(), submit.err());
        Matcher m = Pattern.compile("passes over the pool: (\\d+)").matcher(submit.out());
        assertTrue(m.find(), submit.out());
        assertEquals(passes, Integer.parseInt(m.group(1)), "passes over the pool: " + submit.out());
        assertTrue(submit.err().contains("Pass 1/" + passes), "progress per pass on stderr: " + submit.err());
        Matcher id = Pattern.compile("as job ([0-9a-f]{32})").matcher(submit.out());
        assertTrue(id.find(), submit.out());
        // the job splits the pass into --parallelism tasks; which TaskManager runs each is Flink's
        // choice (in BATCH mode a task may reuse a slot its neighbour just freed), so only the split is asserted
        assertEquals(4, firstPass(id.group(1)).path("parallelism").asInt(), "the pass runs as 4 tasks");

        ClusterBootstrapSpec spec = ClusterBootstrapSpec.parse(Files.readString(job), job.toString(), null);
        ClusterTree local;
        try (KMeans km = new KMeans(Kernels.fastest(), 2, Progress.silent())) {
            local = new HierarchicalKMeans(km, Progress.silent())
                    .fit(
                            data.points(),
                            spec.levelSpecs(data.points().rows()),
                            spec.base(),
                            spec.resamplingMode(),
                            null);
        }
        double[] e = {entropy(local, data, target), entropy(ModelFile.read(out), data, target)};
        System.out.printf(
                "%s: normalised label entropy of %d selected rows: local %.4f, cluster %.4f%n",
                name, target, e[0], e[1]);
        return e;
    }

    private JsonNode firstPass(String jobId) throws Exception {
        for (JsonNode v : cluster.rest().job(jobId).path("vertices")) {
            if (v.path("name").asText().contains("Pass 1/")) {
                return v;
            }
        }
        throw new AssertionError("job " + jobId + " has no vertex named Pass 1/...");
    }

    /** benchmark-quality's measure: normalised entropy of the true labels of a balanced selection of T rows. */
    private static double entropy(ClusterTree tree, SyntheticData data, int target) {
        LeafAssignment a;
        try (NearestCentroids nearest = new NearestCentroids(Kernels.fastest(), 2)) {
            a = new ExactAssigner(tree, nearest).assign(data.points());
        }
        int[] selected = BalancedSelection.select(tree, a.leaf(), a.distanceSq(), target, LeafStrategy.RANDOM, 2);
        long[] count = new long[data.labelCounts().length];
        for (int r : selected) {
            count[data.labels()[r]]++;
        }
        return LevelStats.normalizedEntropy(count);
    }
}
