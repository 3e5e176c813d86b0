package dev.strata.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.io.NpyReader;
import dev.strata.model.ClusterTree;
import dev.strata.model.ModelFile;
import dev.strata.vector.FloatMatrix;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The batch commands end to end, and their one-line refusals of bad flags and files. */
class BatchCommandsTest {
    @TempDir
    Path dir;

    @Test
    void generateBootstrapInspectSelect() throws Exception {
        Path pool = dir.resolve("pool.npy");
        Path model = dir.resolve("pool.model");
        Path keep = dir.resolve("keep.txt");
        Path centroids = dir.resolve("top.npy");
        CliRun gen = CliRun.of(
                "generate", "--kind", "gmm", "--n", "2000", "--dim", "8", "--concepts", "20", "--out", pool.toString());
        assertEquals(0, gen.exit(), gen.err());
        assertTrue(Files.exists(dir.resolve("pool.labels.npy")));

        CliRun boot = CliRun.of(
                "bootstrap",
                "--input",
                pool.toString(),
                "--levels",
                "40,6",
                "--sample-sizes",
                "10,2",
                "--resample-steps",
                "2",
                "--iters",
                "5",
                "--threads",
                "2",
                "--out",
                model.toString());
        assertEquals(0, boot.exit(), boot.err());
        assertTrue(boot.out().contains("level 1: 40 clusters over 2000 points"), boot.out());

        CliRun inspect =
                CliRun.of("inspect", "--model", model.toString(), "--centroids", "2", "--out", centroids.toString());
        assertEquals(0, inspect.exit(), inspect.err());
        assertTrue(inspect.out().contains("top level balance"), inspect.out());
        assertTrue(inspect.out().contains("health: healthy"), inspect.out());
        FloatMatrix top = NpyReader.read(centroids);
        assertEquals(6, top.rows());
        assertEquals(8, top.dim());

        CliRun select = CliRun.of(
                "select",
                "--model",
                model.toString(),
                "--input",
                pool.toString(),
                "--target",
                "300",
                "--out",
                keep.toString());
        assertEquals(0, select.exit(), select.err());
        List<Integer> rows =
                Files.readAllLines(keep).stream().map(Integer::parseInt).collect(Collectors.toList());
        assertEquals(300, rows.size());
        Set<Integer> distinct = new HashSet<>(rows);
        assertEquals(300, distinct.size());
        for (int i = 1; i < rows.size(); i++) {
            assertTrue(rows.get(i - 1) < rows.get(i), "ascending row indices");
        }
        assertTrue(rows.get(rows.size() - 1) < 2000);
    }

    @Test
    void selectWithClustersAddsEachRowsLeafTopAndDistance() throws Exception {
        Path pool = dir.resolve("pool.npy");
        assertEquals(
                0,
                CliRun.of(
                                "generate",
                                "--kind",
                                "gmm",
                                "--n",
                                "600",
                                "--dim",
                                "8",
                                "--concepts",
                                "6",
                                "--out",
                                pool.toString())
                        .exit());
        Path model = TestModels.dim8(dir);
        Path bare = dir.resolve("keep.txt");
        Path columns = dir.resolve("keep.tsv");
        assertEquals(
                0,
                CliRun.of(
                                "select",
                                "--model",
                                model.toString(),
                                "--input",
                                pool.toString(),
                                "--target",
                                "120",
                                "--out",
                                bare.toString())
                        .exit());
        CliRun r = CliRun.of(
                "select",
                "--model",
                model.toString(),
                "--input",
                pool.toString(),
                "--target",
                "120",
                "--with-clusters",
                "--out",
                columns.toString());
        assertEquals(0, r.exit(), r.err());

        List<String> lines = Files.readAllLines(columns);
        assertEquals("row\tleaf\ttop\tdistance", lines.get(0));
        List<String> rows = Files.readAllLines(bare);
        assertEquals(rows.size(), lines.size() - 1, "one line per selected row under the header");
        ClusterTree tree = ModelFile.read(model);
        FloatMatrix points = NpyReader.read(pool);
        int[] topOfLeaf = tree.topOfLeaves();
        FloatMatrix leaves = tree.leaves().centroids();
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).split("\t");
            assertEquals(4, f.length, lines.get(i));
            assertEquals(rows.get(i - 1), f[0], "the same rows as without --with-clusters");
            int row = Integer.parseInt(f[0]);
            int leaf = Integer.parseInt(f[1]);
            assertEquals(topOfLeaf[leaf], Integer.parseInt(f[2]), "top cluster of leaf " + leaf);
            // the reported leaf is the nearest one, and the distance is to its centroid
            double best = Double.MAX_VALUE;
            for (int c = 0; c < leaves.rows(); c++) {
                best = Math.min(best, distance(points, row, leaves, c));
            }
            double reported = Double.parseDouble(f[3]);
            assertEquals(distance(points, row, leaves, leaf), reported, 1e-3 * (1 + reported), lines.get(i));
            assertEquals(best, reported, 1e-3 * (1 + reported), "row " + row + " is not in its nearest leaf");
        }
    }

    @Test
    void reportCountsTheInputAndTheSelectionPerTopCluster() throws Exception {
        Path pool = dir.resolve("pool.npy");
        assertEquals(
                0,
                CliRun.of(
                                "generate",
                                "--kind",
                                "gmm",
                                "--n",
                                "600",
                                "--dim",
                                "8",
                                "--concepts",
                                "6",
                                "--out",
                                pool.toString())
                        .exit());
        Path model = TestModels.dim8(dir);
        Path keep = dir.resolve("keep.tsv");
        assertEquals(
                0,
                CliRun.of(
                                "select",
                                "--model",
                                model.toString(),
                                "--input",
                                pool.toString(),
                                "--target",
                                "100",
                                "--with-clusters",
                                "--out",
                                keep.toString())
                        .exit());
        Path page = dir.resolve("out/report.html");
        CliRun r = CliRun.of(
                "report",
                "--model",
                model.toString(),
                "--input",
                pool.toString(),
                "--selection",
                keep.toString(),
                "--out",
                page.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("pool.npy") && r.out().contains("keep.tsv"), r.out());
        String html = Files.readString(page);
        assertTrue(html.contains("pool.npy</td><td class=\"num\">600</td>"), "before counts every input row");
        assertTrue(html.contains("keep.tsv</td><td class=\"num\">100</td>"), "after counts every selected row");
        assertEquals(4, html.split("<rect class=\"share-after\"", -1).length - 1, "one after bar per top cluster");

        CliRun noInput = CliRun.of(
                "report", "--model", model.toString(), "--selection", keep.toString(), "--out", page.toString());
        assertEquals(Strata.USAGE_ERROR, noInput.exit());
        assertTrue(noInput.oneLineError() && noInput.err().contains("--input"), noInput.err());
        Path wrong = dir.resolve("wrong.txt");
        Files.writeString(wrong, "3\n600\n");
        CliRun outside = CliRun.of(
                "report",
                "--model",
                model.toString(),
                "--input",
                pool.toString(),
                "--selection",
                wrong.toString(),
                "--out",
                page.toString());
        assertEquals(Strata.USAGE_ERROR, outside.exit());
        assertTrue(
                outside.oneLineError() && outside.err().contains("line 2: row 600 is outside the 600 rows"),
                outside.err());
    }

    private static double distance(FloatMatrix a, int i, FloatMatrix b, int j) {
        double s = 0;
        for (int k = 0; k < a.dim(); k++) {
            double d = a.get(i, k) - b.get(j, k);
            s += d * d;
        }
        return Math.sqrt(s);
    }

    @Test
    void levelsAutoPrintsAndBuildsThePlan() throws Exception {
        Path pool = dir.resolve("pool.npy");
        Path model = dir.resolve("auto.model");
        assertEquals(
                0,
                CliRun.of(
                                "generate",
                                "--kind",
                                "gmm",
                                "--n",
                                "20000",
                                "--dim",
                                "8",
                                "--concepts",
                                "20",
                                "--out",
                                pool.toString())
                        .exit());
        CliRun boot = CliRun.of(
                "bootstrap",
                "--input",
                pool.toString(),
                "--levels",
                "auto",
                "--resample-steps",
                "1",
                "--iters",
                "3",
                "--threads",
                "1",
                "--out",
                model.toString());
        assertEquals(0, boot.exit(), boot.err());
        // 20000 rows: a leaf per 100 rows, sqrt(20000)/2 = 71 top clusters, within 10x: two levels
        assertTrue(boot.out().contains("--levels 200,71 --sample-sizes 50,2"), boot.out());
        assertTrue(boot.out().contains("level 1: 200 clusters over 20000 points"), boot.out());
        assertTrue(boot.out().contains("level 2: 71 clusters"), boot.out());
    }

    @Test
    void splitLevelsAreBuiltAndRecorded() throws Exception {
        Path pool = dir.resolve("pool.npy");
        Path model = dir.resolve("split.model");
        assertEquals(
                0,
                CliRun.of(
                                "generate",
                                "--kind",
                                "gmm",
                                "--n",
                                "4000",
                                "--dim",
                                "8",
                                "--concepts",
                                "20",
                                "--out",
                                pool.toString())
                        .exit());
        CliRun boot = CliRun.of(
                "bootstrap",
                "--input",
                pool.toString(),
                "--levels",
                "200,20",
                "--splits",
                "10,1",
                "--resample-steps",
                "0,2",
                "--sample-sizes",
                "0,2",
                "--iters",
                "5",
                "--threads",
                "2",
                "--out",
                model.toString());
        assertEquals(0, boot.exit(), boot.err());
        assertTrue(boot.out().contains("level 1: 200 clusters") || boot.out().contains("level 1: 19"), boot.out());
        CliRun inspect = CliRun.of("inspect", "--model", model.toString());
        assertTrue(inspect.out().contains("splits [10, 1]"), inspect.out());
        CliRun resampling = CliRun.of(
                "bootstrap",
                "--input",
                pool.toString(),
                "--levels",
                "200,20",
                "--splits",
                "10",
                "--out",
                model.toString());
        assertEquals(Strata.USAGE_ERROR, resampling.exit());
        assertTrue(resampling.oneLineError() && resampling.err().contains("cannot also resample"), resampling.err());
    }

    @Test
    void cosineModelSelectsFromUnnormalisedInput() throws Exception {
        Path pool = dir.resolve("pool.npy");
        Path model = dir.resolve("cos.model");
        Path keep = dir.resolve("keep.txt");
        assertEquals(
                0,
                CliRun.of(
                                "generate",
                                "--kind",
                                "gmm",
                                "--n",
                                "1500",
                                "--dim",
                                "16",
                                "--concepts",
                                "10",
                                "--out",
                                pool.toString())
                        .exit());
        CliRun boot = CliRun.of(
                "bootstrap",
                "--input",
                pool.toString(),
                "--levels",
                "30,5",
                "--metric",
                "cosine",
                "--resample-steps",
                "1",
                "--iters",
                "5",
                "--out",
                model.toString());
        assertEquals(0, boot.exit(), boot.err());
        CliRun inspect = CliRun.of("inspect", "--model", model.toString());
        assertTrue(inspect.out().contains("metric cosine"), inspect.out());
        // centroids of a spherical k-means lie on the unit sphere
        ClusterTree tree = ModelFile.read(model);
        for (float n2 : tree.leaves().centroids().rowNormsSquared()) {
            assertEquals(1.0, n2, 1e-3);
        }
        CliRun select = CliRun.of(
                "select",
                "--model",
                model.toString(),
                "--input",
                pool.toString(),
                "--target",
                "100",
                "--strategy",
                "closest",
                "--out",
                keep.toString());
        assertEquals(0, select.exit(), select.err());
        assertEquals(100, Files.readAllLines(keep).size());
    }

    @Test
    void badFlagsAndFilesGiveOneLine() throws Exception {
        CliRun unknown = CliRun.of("bootstrap", "--input", "x.npy", "--levels", "10", "--out", "m", "--bogus");
        assertEquals(Strata.USAGE_ERROR, unknown.exit());
        assertTrue(unknown.oneLineError() && unknown.err().contains("--bogus"), unknown.err());

        CliRun missing = CliRun.of("select", "--model", "m");
        assertEquals(Strata.USAGE_ERROR, missing.exit());
        assertTrue(missing.oneLineError(), missing.err());

        CliRun levels =
                CliRun.of("bootstrap", "--input", dir.resolve("nope.npy").toString(), "--levels", "10,x", "--out", "m");
        assertEquals(Strata.USAGE_ERROR, levels.exit());
        assertTrue(levels.oneLineError() && levels.err().contains("comma-separated integers"), levels.err());

        CliRun noFile =
                CliRun.of("bootstrap", "--input", dir.resolve("nope.npy").toString(), "--levels", "10", "--out", "m");
        assertEquals(Strata.USAGE_ERROR, noFile.exit());
        assertTrue(noFile.oneLineError() && noFile.err().contains("nope.npy"), noFile.err());

        Path text = dir.resolve("data.csv");
        Files.writeString(text, "1,2,3\n");
        CliRun wrongKind = CliRun.of(
                "select",
                "--model",
                text.toString(),
                "--input",
                text.toString(),
                "--target",
                "1",
                "--out",
                dir.resolve("o.txt").toString());
        assertEquals(Strata.USAGE_ERROR, wrongKind.exit());
        assertTrue(wrongKind.oneLineError() && wrongKind.err().contains("not a Strata model"), wrongKind.err());

        CliRun mismatch =
                CliRun.of("bootstrap", "--input", "x.npy", "--levels", "10,5", "--sample-sizes", "1,2,3", "--out", "m");
        assertEquals(Strata.USAGE_ERROR, mismatch.exit());
        assertTrue(mismatch.oneLineError(), mismatch.err());
    }
}
