package dev.strata.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.io.NpyReader;
import dev.strata.io.NpyWriter;
import dev.strata.model.ClusterTree;
import dev.strata.model.ModelFile;
import dev.strata.vector.FloatMatrix;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `strata drift`: the job's drift figures for a file, against the pool a model was built on. */
class DriftCommandTest {
    @TempDir
    static Path dir;

    static Path pool;
    static Path model;

    @BeforeAll
    static void poolAndModel() {
        pool = dir.resolve("pool.npy");
        model = dir.resolve("m.model");
        assertEquals(0, generate(pool, 1).exit());
        CliRun boot = CliRun.of(
                "bootstrap",
                "--input",
                pool.toString(),
                "--levels",
                "60,6",
                "--iters",
                "5",
                "--threads",
                "2",
                "--out",
                model.toString());
        assertEquals(0, boot.exit(), boot.err());
    }

    private static CliRun generate(Path out, long seed) {
        return CliRun.of(
                "generate",
                "--kind",
                "gmm",
                "--n",
                "3000",
                "--dim",
                "8",
                "--concepts",
                "12",
                "--seed",
                Long.toString(seed),
                "--out",
                out.toString());
    }

    @Test
    void thePoolItselfHasNoDrift() throws Exception {
        Path tsv = dir.resolve("pool-drift.tsv");
        CliRun r = CliRun.of("drift", "--model", model.toString(), "--input", pool.toString(), "--out", tsv.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("total variation 0.000"), r.out());
        assertTrue(r.out().contains("distance to the leaf centroid: 1.00x the pool's"), r.out());
        assertTrue(r.out().contains("verdict: the model still describes these embeddings"), r.out());
        // the file lists every top cluster with the model's pool sizes, and here the same counts
        ClusterTree tree = ModelFile.read(model);
        List<String> lines = Files.readAllLines(tsv);
        assertEquals("top\tpool_rows\trows\tpool_share\tshare", lines.get(0));
        assertEquals(tree.top().clusters() + 1, lines.size());
        for (int t = 0; t < tree.top().clusters(); t++) {
            String[] f = lines.get(t + 1).split("\t");
            assertEquals(t, Integer.parseInt(f[0]));
            assertEquals(tree.top().size()[t], Long.parseLong(f[1]));
            assertEquals(tree.top().size()[t], Long.parseLong(f[2]));
        }
    }

    @Test
    void unseenConceptsAndMovedSharesCallForARebuild() throws Exception {
        // another mixture: its concepts are not the model's, they land far from every leaf
        Path novel = dir.resolve("novel.npy");
        assertEquals(0, generate(novel, 7).exit());
        CliRun r = CliRun.of("drift", "--model", model.toString(), "--input", novel.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("verdict: rebuild the model"), r.out());
        double ratio =
                Double.parseDouble(r.out().replaceAll("(?s).*distance to the leaf centroid: ([0-9.]+)x.*", "$1"));
        assertTrue(ratio > 2, r.out());

        // the pool's own rows, but only those of the rows' first top cluster: shares moved, distances not
        Path tsv = dir.resolve("sel.tsv");
        CliRun sel = CliRun.of(
                "select",
                "--model",
                model.toString(),
                "--input",
                pool.toString(),
                "--target",
                "3000",
                "--with-clusters",
                "--out",
                tsv.toString());
        assertEquals(0, sel.exit(), sel.err());
        List<String> rows = Files.readAllLines(tsv).subList(1, 3001);
        int[] one = rows.stream()
                .map(l -> l.split("\t"))
                .filter(f -> !f[2].equals("0"))
                .mapToInt(f -> Integer.parseInt(f[0]))
                .toArray();
        FloatMatrix all = NpyReader.read(pool);
        FloatMatrix some = all.selectRows(one);
        Path moved = dir.resolve("moved.npy");
        NpyWriter.write(moved, some);
        CliRun m = CliRun.of("drift", "--model", model.toString(), "--input", moved.toString(), "--show", "1");
        assertEquals(0, m.exit(), m.err());
        assertTrue(m.out().contains("distance to the leaf centroid: 1.0"), m.out());
        // top cluster 0 is gone: it moved most, to share 0
        assertTrue(m.out().contains("\n| 0 | "), m.out());
        assertTrue(m.out().contains(" | 0.0000 | 0.00 |"), m.out());
    }

    @Test
    void aHandfulOfRowsIsTooFewToJudge() {
        FloatMatrix all = NpyReader.read(pool);
        Path few = dir.resolve("few.npy");
        NpyWriter.write(few, all.selectRows(new int[] {0, 1, 2, 3, 4}));
        CliRun r = CliRun.of("drift", "--model", model.toString(), "--input", few.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("verdict: too few rows to judge (5; the job judges from 120"), r.out());
    }

    @Test
    void wrongFlagsStopWithOneLine() {
        CliRun none = CliRun.of("drift", "--model", model.toString());
        assertTrue(none.exit() != 0 && none.oneLineError(), none.err());
        assertTrue(none.err().contains("give the embeddings with --input FILE or --input-topic TOPIC"), none.err());
        CliRun both = CliRun.of(
                "drift", "--model", model.toString(), "--input", pool.toString(), "--input-topic", "embeddings");
        assertTrue(both.exit() != 0 && both.oneLineError(), both.err());
        CliRun range = CliRun.of("drift", "--model", model.toString(), "--input", pool.toString(), "--records", "9");
        assertTrue(range.exit() != 0 && range.oneLineError(), range.err());
        assertTrue(range.err().contains("go with --input-topic, not --input"), range.err());
    }
}
