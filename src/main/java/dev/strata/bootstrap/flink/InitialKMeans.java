package dev.strata.bootstrap.flink;

import dev.strata.kmeans.HierarchicalKMeans;
import dev.strata.kmeans.KMeans;
import dev.strata.kmeans.KMeansConfig;
import dev.strata.kmeans.KMeansResult;
import dev.strata.kmeans.LevelSpec;
import dev.strata.model.Metric;
import dev.strata.progress.Progress;
import dev.strata.vector.FloatMatrix;
import dev.strata.vector.Kernels;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first k-means of level 1 (k clusters, or k / splits for a split level), in one task, on a
 * uniform sample of {@code sampleRows} rows read by seeking (not a pass: a pool of 1B rows is not
 * scanned for a sample of 1M). A pool no larger than the sample is read whole, in row order, and
 * the k-means is exactly the one `strata bootstrap` runs on it.
 */
final class InitialKMeans extends RichMapFunction<Integer, Stage> {
    private static final Logger LOG = LoggerFactory.getLogger(InitialKMeans.class);
    static final String ROWS_SAMPLED = "rowsSampled";

    private final ClusterBootstrapSpec spec;
    /** The pool's rows: level 1's settings are derived from them (LevelSpec itself is not serializable). */
    private final long rows;

    private final int passes;

    InitialKMeans(ClusterBootstrapSpec spec, long rows, int passes) {
        this.spec = spec;
        this.rows = rows;
        this.passes = passes;
    }

    @Override
    public Stage map(Integer ignored) {
        FloatMatrix sample;
        try (PoolReader pool = PoolReader.open(spec.input)) {
            sample = read(pool, rowsToRead(pool.rows(), spec.sampleRows, spec.seed));
        }
        if (spec.base().metric() == Metric.COSINE) {
            sample.normalizeRows();
        }
        LongCounter sampled = new LongCounter();
        getRuntimeContext().addAccumulator(ROWS_SAMPLED, sampled);
        sampled.add(sample.rows());
        int k = level().splits() > 1 ? level().clusters() / level().splits() : level().clusters();
        KMeansConfig cfg = spec.base().withK(k).withSeed(HierarchicalKMeans.mix(spec.seed, 0, 0));
        LOG.info("level 1: k-means with {} clusters on {} rows", k, sample.rows());
        KMeansResult r;
        try (KMeans kmeans = new KMeans(
                Kernels.fastest(), spec.threadsOr(Runtime.getRuntime().availableProcessors()), Progress.silent())) {
            r = kmeans.fit(sample, cfg);
        }
        Stage s = new Stage();
        s.pass = 1;
        s.k = r.centroids().rows();
        s.dim = r.centroids().dim();
        s.centroids = r.centroids().data();
        s.poolSize = level().splits() == 1 && passes > 1 ? level().sampleSize() : 0;
        s.exactDistances = true; // a k-means result holds exact distances
        return s;
    }

    /** All rows when the pool fits the sample, else {@code sample} distinct rows drawn uniformly (seeded), ascending. */
    static long[] rowsToRead(long rows, int sample, long seed) {
        if (rows <= sample) {
            long[] all = new long[(int) rows];
            for (int i = 0; i < all.length; i++) {
                all[i] = i;
            }
            return all;
        }
        SplittableRandom rng = new SplittableRandom(HierarchicalKMeans.mix(seed, 0, -0x5EED));
        Set<Long> chosen = new HashSet<>();
        while (chosen.size() < sample) {
            chosen.add(rng.nextLong(rows));
        }
        long[] out = chosen.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(out);
        return out;
    }

    private static FloatMatrix read(PoolReader pool, long[] rows) {
        int d = pool.dim();
        float[] data = new float[Math.multiplyExact(rows.length, d)];
        float[] one = new float[d];
        int i = 0;
        while (i < rows.length) {
            // runs of consecutive rows in one read (all of them when the whole pool is read)
            int run = 1;
            while (i + run < rows.length && rows[i + run] == rows[i] + run && run < SliceScanner.BLOCK_ROWS) {
                run++;
            }
            float[] dst = run == 1 ? one : new float[run * d];
            pool.read(rows[i], run, dst);
            System.arraycopy(dst, 0, data, i * d, run * d);
            i += run;
        }
        return new FloatMatrix(data, rows.length, d);
    }

    private LevelSpec level() {
        return spec.levelSpecs(rows).get(0);
    }
}
