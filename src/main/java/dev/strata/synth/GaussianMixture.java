package dev.strata.synth;

import dev.strata.StrataException;
import dev.strata.io.NpyWriter;
import dev.strata.progress.Progress;
import dev.strata.vector.FloatMatrix;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * A long-tailed mixture of isotropic Gaussians ("gmm"): {@code concepts} concept centres drawn
 * uniformly on the unit sphere of R^dim, concept c holding a share of the points proportional to
 * 1/(c+1)^zipf, and every point = its centre + N(0, sigma^2 I).
 *
 * <p>Noise scale: sigma = radius / sqrt(dim), so a point lies at distance about {@code radius}
 * from its centre whatever the dimension. Random unit centres sit about sqrt(2) = 1.41 apart, so
 * with the default radius 0.5 two points of one concept are about 0.7 apart and points of two
 * concepts about 1.6: the concepts are separable, yet each is a broad cloud that k-means with
 * more clusters than concepts must split, which is what balanced curation has to cope with. In
 * low dimension (say below 8) random centres crowd and concepts overlap; use {@link Rings} there.
 *
 * <p>Every concept gets at least one point; rows come in a seeded random order, and row i's noise
 * comes from its own seeded stream, so any block of rows can be produced on its own, in parallel,
 * and the result depends only on the seed.
 */
public final class GaussianMixture {
    public static final double DEFAULT_RADIUS = 0.5;
    /** Rows per parallel task: big enough to amortise the task, small enough to spread over cores. */
    private static final int BLOCK_ROWS = 1024;

    private final int n;
    private final int dim;
    private final long seed;
    private final float sigma;
    private final int[] sizes;
    private final FloatMatrix centres;
    private final int[] labels;

    public GaussianMixture(int n, int dim, int concepts, double zipf, long seed) {
        this(n, dim, concepts, zipf, DEFAULT_RADIUS, seed);
    }

    public GaussianMixture(int n, int dim, int concepts, double zipf, double radius, long seed) {
        if (dim < 1) {
            throw new StrataException("gmm: dim is " + dim + "; it must be at least 1");
        }
        if (concepts < 1) {
            throw new StrataException("gmm: concepts is " + concepts + "; it must be at least 1");
        }
        if (n < concepts) {
            throw new StrataException("gmm: n=" + n + " is below concepts=" + concepts
                    + "; every concept needs at least one point, so raise n or lower concepts");
        }
        if (!(zipf >= 0) || Double.isInfinite(zipf)) {
            throw new StrataException(
                    "gmm: zipf exponent is " + zipf + "; it must be a finite number >= 0 (0 = equal sizes)");
        }
        if (!(radius >= 0) || Double.isInfinite(radius)) {
            throw new StrataException("gmm: radius is " + radius + "; it must be a finite number >= 0");
        }
        this.n = n;
        this.dim = dim;
        this.seed = seed;
        this.sigma = (float) (radius / Math.sqrt(dim));
        this.sizes = zipfSizes(n, concepts, zipf);
        this.centres = unitCentres(concepts, dim, Seeds.stream(seed, Seeds.CENTRES));
        this.labels = Apportion.shuffledLabels(sizes, Seeds.stream(seed, Seeds.ORDER));
    }

    /**
     * Concept sizes proportional to 1/(c+1)^zipf, each at least 1, summing to {@code n}, never
     * increasing with c.
     */
    public static int[] zipfSizes(int n, int concepts, double zipf) {
        double[] w = new double[concepts];
        for (int c = 0; c < concepts; c++) {
            w[c] = Math.pow(c + 1, -zipf);
        }
        return Apportion.sizes(w, n, 1);
    }

    private static FloatMatrix unitCentres(int concepts, int dim, SplittableRandom rnd) {
        FloatMatrix c = FloatMatrix.zeros(concepts, dim);
        float[] d = c.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) rnd.nextGaussian();
        }
        // a normalised standard Gaussian vector is uniform on the sphere
        c.normalizeRows();
        return c;
    }

    public int rows() {
        return n;
    }

    public int dim() {
        return dim;
    }

    /** Points per concept, largest first. */
    public int[] sizes() {
        return sizes.clone();
    }

    /** The concept centres, one unit-norm row per concept. */
    public FloatMatrix centres() {
        return centres.copy();
    }

    /** The concept of every row. */
    public int[] labels() {
        return labels.clone();
    }

    /** Writes rows [from, from + count) row-major into {@code out} starting at {@code outOffset}. */
    public void fillRows(int from, int count, float[] out, int outOffset) {
        float[] c = centres.data();
        for (int r = 0; r < count; r++) {
            int row = from + r;
            SplittableRandom rnd = Seeds.row(seed, Seeds.ROWS, row);
            int co = labels[row] * dim;
            int o = outOffset + r * dim;
            for (int j = 0; j < dim; j++) {
                out[o + j] = c[co + j] + sigma * (float) rnd.nextGaussian();
            }
        }
    }

    /** All rows in memory, generated in parallel. */
    public SyntheticData generate() {
        if ((long) n * dim > Integer.MAX_VALUE - 8) {
            throw new StrataException("gmm: " + n + " x " + dim + " floats do not fit one in-memory matrix;"
                    + " lower n or dim, or stream it to a file with GaussianMixture.write");
        }
        float[] data = new float[n * dim];
        fillParallel(0, n, data);
        return new SyntheticData(new FloatMatrix(data, n, dim), labels.clone());
    }

    /**
     * Streams the points to a float32 .npy file block by block (the whole matrix never sits in
     * memory) and the labels to {@code FILE.labels.npy}; returns the labels path.
     */
    public Path write(Path points, Progress progress) {
        if (!points.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".npy")) {
            throw new StrataException(points + ": streamed gmm output must be a .npy file;"
                    + " for .fvecs generate in memory and use SyntheticData.write");
        }
        int chunkRows = Math.max(1, Math.min(n, (16 << 20) / (dim * Float.BYTES)));
        float[] buf = new float[chunkRows * dim];
        progress.start("generate " + points.getFileName(), n, "rows");
        try (NpyWriter.Float32Rows out = NpyWriter.openFloat32(points, n, dim)) {
            for (int from = 0; from < n; from += chunkRows) {
                int count = Math.min(chunkRows, n - from);
                fillParallel(from, count, buf);
                out.write(buf, 0, count);
                progress.advance(count);
            }
        }
        progress.finish();
        Path labelsPath = SyntheticData.labelsPath(points);
        NpyWriter.writeLabels(labelsPath, labels);
        return labelsPath;
    }

    private void fillParallel(int from, int count, float[] out) {
        int blocks = (count + BLOCK_ROWS - 1) / BLOCK_ROWS;
        IntStream.range(0, blocks).parallel().forEach(b -> {
            int start = b * BLOCK_ROWS;
            fillRows(from + start, Math.min(BLOCK_ROWS, count - start), out, start * dim);
        });
    }

    @Override
    public String toString() {
        return "gmm(n=" + n + ", dim=" + dim + ", concepts=" + sizes.length + ", sizes="
                + Arrays.toString(Arrays.copyOf(sizes, Math.min(5, sizes.length))) + (sizes.length > 5 ? "..." : "")
                + ")";
    }
}
