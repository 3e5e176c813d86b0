package dev.strata.kmeans;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.progress.Progress;
import dev.strata.vector.FloatMatrix;
import dev.strata.vector.Kernels;
import dev.strata.vector.Workers;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KMeansPlusPlusTest {

    /** Tight 2-D blobs on a line, far apart, of very different sizes: the case where pruning skips most rows. */
    private static FloatMatrix unevenBlobs(int[] sizes, int[] labels) {
        Random r = new Random(5);
        int n = 0;
        for (int s : sizes) {
            n += s;
        }
        float[] x = new float[n * 2];
        int i = 0;
        for (int b = 0; b < sizes.length; b++) {
            for (int j = 0; j < sizes[b]; j++, i++) {
                x[2 * i] = 100f * b + (float) r.nextGaussian() * 0.1f;
                x[2 * i + 1] = (float) r.nextGaussian() * 0.1f;
                labels[i] = b;
            }
        }
        return new FloatMatrix(x, n, 2);
    }

    private static FloatMatrix seed(FloatMatrix data, int k, int threads, long seed) {
        try (Workers w = new Workers(threads)) {
            return new KMeansPlusPlus(Kernels.fastest(), w, Progress.silent(), new DistanceCount())
                    .seed(data, k, new SplittableRandom(seed));
        }
    }

    @Test
    void everyBlobGetsOneCentreWhateverItsSize() {
        int[] sizes = {20_000, 3, 500, 1, 9_000, 40, 2, 7_000};
        int[] labels = new int[20_000 + 3 + 500 + 1 + 9_000 + 40 + 2 + 7_000];
        FloatMatrix data = unevenBlobs(sizes, labels);
        for (long s = 0; s < 5; s++) {
            FloatMatrix c = seed(data, sizes.length, 2, s);
            Set<Integer> blobs = new HashSet<>();
            for (int j = 0; j < c.rows(); j++) {
                blobs.add(Math.round(c.get(j, 0) / 100f));
            }
            // a stale D(x)^2 (a row wrongly pruned) would let a covered blob be drawn again
            assertEquals(sizes.length, blobs.size(), "seed " + s + ": one centre per blob");
        }
    }

    @Test
    void centresAreDataRowsAndIndependentOfThreads() {
        int[] labels = new int[4 * 3000];
        FloatMatrix data = KMeansTest.blobs(4, 3000, 16, 3, labels);
        FloatMatrix one = seed(data, 200, 1, 9);
        FloatMatrix two = seed(data, 200, 2, 9);
        assertArrayEquals(one.data(), two.data());
        Set<String> rows = new HashSet<>();
        for (int i = 0; i < data.rows(); i++) {
            rows.add(java.util.Arrays.toString(data.row(i)));
        }
        for (int j = 0; j < one.rows(); j++) {
            assertEquals(true, rows.contains(java.util.Arrays.toString(one.row(j))), "centre " + j + " is a data row");
        }
    }

    @Test
    void lowersThePotentialLikeTheUnprunedDefinition() {
        // the potential after seeding, recomputed by brute force, matches what greedy seeding on
        // blobs must reach: every row within its own blob's spread of a centre
        int[] sizes = {5_000, 50, 5, 2_000};
        int[] labels = new int[5_000 + 50 + 5 + 2_000];
        FloatMatrix data = unevenBlobs(sizes, labels);
        FloatMatrix c = seed(data, 40, 1, 1);
        double worst = 0;
        for (int i = 0; i < data.rows(); i++) {
            double best = Double.MAX_VALUE;
            for (int j = 0; j < c.rows(); j++) {
                double dx = data.get(i, 0) - c.get(j, 0);
                double dy = data.get(i, 1) - c.get(j, 1);
                best = Math.min(best, dx * dx + dy * dy);
            }
            worst = Math.max(worst, best);
        }
        assertEquals(true, worst < 1.0, "every row is within its blob of a centre, worst squared distance " + worst);
    }

    @Test
    void skippingUnreachableRowsPicksTheSameCentres() {
        // overlapping blobs (many rows reachable every step) and well separated ones (few)
        for (double spread : new double[] {0.5, 20}) {
            Random r = new Random(11);
            int n = 8000;
            int d = 24;
            float[] x = new float[n * d];
            for (int i = 0; i < n; i++) {
                int blob = r.nextInt(30);
                for (int j = 0; j < d; j++) {
                    x[i * d + j] = (float) (((blob * 13 + j * 7) % 17) * spread + r.nextGaussian());
                }
            }
            FloatMatrix data = new FloatMatrix(x, n, d);
            try (Workers w = new Workers(2)) {
                FloatMatrix pruned = new KMeansPlusPlus(
                                Kernels.fastest(), w, Progress.silent(), new DistanceCount(), true)
                        .seed(data, 150, new SplittableRandom(3));
                FloatMatrix every = new KMeansPlusPlus(
                                Kernels.fastest(), w, Progress.silent(), new DistanceCount(), false)
                        .seed(data, 150, new SplittableRandom(3));
                assertArrayEquals(every.data(), pruned.data(), "spread " + spread);
            }
        }
    }

    @Test
    void perBlockCandidateDistancesGiveTheCentresOfTheSingleArray() {
        // the seeding before SeedBlocks (one rows x candidates array) on a few seeds, sizes that
        // end mid-block, pruned and not, one array and chunks of rows: the same centres bit for bit
        for (long s = 0; s < 3; s++) {
            Random r = new Random(100 + s);
            int n = 9_000 + 777 * (int) s;
            int d = 12;
            float[] x = new float[n * d];
            for (int i = 0; i < n; i++) {
                int blob = r.nextInt(40);
                for (int j = 0; j < d; j++) {
                    x[i * d + j] = (float) (((blob * 13 + j * 7) % 17) * 3 + r.nextGaussian());
                }
            }
            FloatMatrix data = new FloatMatrix(x, n, d);
            FloatMatrix chunks = ChunkedPoolTest.chunkedCopy(data, 1_000);
            int k = 60 + 50 * (int) s;
            for (boolean pruned : new boolean[] {true, false}) {
                try (Workers w = new Workers(2)) {
                    FloatMatrix before = new KMeansPlusPlusBefore(
                                    Kernels.fastest(), w, Progress.silent(), new DistanceCount(), pruned)
                            .seed(data, k, new SplittableRandom(s));
                    for (FloatMatrix input : new FloatMatrix[] {data, chunks}) {
                        FloatMatrix now = new KMeansPlusPlus(
                                        Kernels.fastest(), w, Progress.silent(), new DistanceCount(), pruned)
                                .seed(input, k, new SplittableRandom(s));
                        assertArrayEquals(
                                before.data(),
                                now.data(),
                                "seed " + s + ", pruned " + pruned + ", chunked " + input.chunked());
                    }
                }
            }
        }
    }
}
