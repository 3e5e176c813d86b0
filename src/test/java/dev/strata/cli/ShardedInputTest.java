package dev.strata.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.io.NpyReader;
import dev.strata.io.NpyWriter;
import dev.strata.model.ClusterTree;
import dev.strata.model.ModelFile;
import dev.strata.vector.FloatMatrix;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `bootstrap` and `select` on a folder or glob of shards give what they give on the one file. */
class ShardedInputTest {
    @TempDir
    Path dir;

    private static FloatMatrix rows(FloatMatrix m, int from, int to) {
        return new FloatMatrix(Arrays.copyOfRange(m.data(), from * m.dim(), to * m.dim()), to - from, m.dim());
    }

    private static String[] bootstrap(String input, Path out) {
        return new String[] {
            "bootstrap",
            "--input",
            input,
            "--levels",
            "30,5",
            "--sample-sizes",
            "10,2",
            "--resample-steps",
            "2",
            "--iters",
            "5",
            "--threads",
            "2",
            "--seed",
            "3",
            "--out",
            out.toString()
        };
    }

    @Test
    void shardedBootstrapAndSelectEqualTheSingleFile() throws Exception {
        Path pool = dir.resolve("pool.npy");
        assertEquals(
                0,
                CliRun.of(
                                "generate",
                                "--kind",
                                "gmm",
                                "--n",
                                "1500",
                                "--dim",
                                "8",
                                "--concepts",
                                "12",
                                "--out",
                                pool.toString())
                        .exit());
        FloatMatrix all = NpyReader.read(pool);
        Path shards = Files.createDirectory(dir.resolve("shards"));
        NpyWriter.write(shards.resolve("img_emb_0.npy"), rows(all, 0, 700));
        NpyWriter.write(shards.resolve("img_emb_1.npy"), rows(all, 700, 701));
        NpyWriter.write(shards.resolve("img_emb_2.npy"), rows(all, 701, 1500));

        Path single = dir.resolve("single.model");
        Path sharded = dir.resolve("sharded.model");
        CliRun a = CliRun.of(bootstrap(pool.toString(), single));
        assertEquals(0, a.exit(), a.err());
        CliRun b = CliRun.of(bootstrap(shards.resolve("img_emb_*.npy").toString(), sharded));
        assertEquals(0, b.exit(), b.err());
        ClusterTree one = ModelFile.read(single);
        ClusterTree many = ModelFile.read(sharded);
        for (int t = 1; t <= one.depth(); t++) {
            assertArrayEquals(
                    one.level(t).centroids().data(), many.level(t).centroids().data(), "level " + t);
            assertArrayEquals(one.level(t).size(), many.level(t).size(), "level " + t);
        }

        Path keepOne = dir.resolve("one.tsv");
        Path keepMany = dir.resolve("many.tsv");
        assertEquals(
                0,
                CliRun.of(
                                "select",
                                "--model",
                                single.toString(),
                                "--input",
                                pool.toString(),
                                "--target",
                                "200",
                                "--with-clusters",
                                "--out",
                                keepOne.toString())
                        .exit());
        CliRun s = CliRun.of(
                "select",
                "--model",
                single.toString(),
                "--input",
                shards.toString(),
                "--target",
                "200",
                "--with-clusters",
                "--out",
                keepMany.toString());
        assertEquals(0, s.exit(), s.err());
        assertEquals(Files.readAllLines(keepOne), Files.readAllLines(keepMany));
    }

    @Test
    void aShardOfAnotherDimensionStopsTheBootstrapWithItsName() throws Exception {
        Path shards = Files.createDirectory(dir.resolve("shards"));
        NpyWriter.write(shards.resolve("a_0.npy"), new FloatMatrix(new float[40], 10, 4));
        Path odd = shards.resolve("a_1.npy");
        NpyWriter.write(odd, new FloatMatrix(new float[50], 10, 5));
        CliRun r = CliRun.of(bootstrap(shards.toString(), dir.resolve("m.model")));
        assertTrue(r.exit() != 0, r.err());
        assertTrue(r.oneLineError(), r.err());
        assertTrue(r.err().contains(odd + ": dimension 5 differs from the first shard's"), r.err());
        assertTrue(!Files.exists(dir.resolve("m.model")));
    }

    @Test
    void aWorkDirLeavesTheModelUnchangedAndIsClearedWhenDone() throws Exception {
        Path pool = dir.resolve("pool.npy");
        assertEquals(
                0,
                CliRun.of(
                                "generate",
                                "--kind",
                                "gmm",
                                "--n",
                                "800",
                                "--dim",
                                "8",
                                "--concepts",
                                "8",
                                "--out",
                                pool.toString())
                        .exit());
        Path plain = dir.resolve("plain.model");
        Path checkpointed = dir.resolve("checkpointed.model");
        Path work = dir.resolve("work");
        assertEquals(0, CliRun.of(bootstrap(pool.toString(), plain)).exit());
        String[] args = Arrays.copyOf(bootstrap(pool.toString(), checkpointed), bootstrap("", plain).length + 2);
        args[args.length - 2] = "--work-dir";
        args[args.length - 1] = work.toString();
        CliRun r = CliRun.of(args);
        assertEquals(0, r.exit(), r.err());
        assertEquals(
                ModelFile.read(plain).version(), ModelFile.read(checkpointed).version());
        assertTrue(Files.isDirectory(work));
        try (var files = Files.list(work)) {
            assertEquals(0, files.count(), "the finished run's checkpoint is removed");
        }
    }
}
