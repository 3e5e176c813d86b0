package dev.strata.bootstrap.flink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.StrataException;
import dev.strata.io.EmbeddingFiles;
import dev.strata.vector.FloatMatrix;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Slices a task reads are the rows the whole-file readers return, across shard boundaries; a damaged shard is one line. */
class ShardedPoolTest {
    @TempDir
    Path dir;

    private static FloatMatrix matrix(int rows, int dim) {
        float[] v = new float[rows * dim];
        for (int i = 0; i < v.length; i++) {
            v[i] = i * 0.25f - 3;
        }
        return new FloatMatrix(v, rows, dim);
    }

    @Test
    void slicesOfNpyAndFvecsAreTheFilesRows() {
        FloatMatrix m = matrix(37, 5);
        for (String name : new String[] {"p.npy", "p.fvecs"}) {
            Path f = dir.resolve(name);
            EmbeddingFiles.write(f, m);
            try (PoolReader pool = PoolReader.open(f.toString())) {
                assertEquals(37, pool.rows());
                assertEquals(5, pool.dim());
                float[] slice = new float[9 * 5];
                pool.read(20, 9, slice);
                assertArrayEquals(Arrays.copyOfRange(m.data(), 20 * 5, 29 * 5), slice, name);
            }
        }
    }

    @Test
    void aTruncatedNpyIsRefusedWithOneLine() throws Exception {
        Path f = dir.resolve("t.npy");
        EmbeddingFiles.write(f, matrix(10, 4));
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            ch.truncate(Files.size(f) - 8);
        }
        String msg = assertThrows(StrataException.class, () -> PoolReader.open(f.toString()))
                .getMessage();
        assertTrue(msg.contains("truncated") && msg.contains("t.npy"), msg);
        assertEquals(1, msg.lines().count());
    }

    @Test
    void aSliceAcrossShardsOfAFolderIsThePoolsRows() throws Exception {
        FloatMatrix m = matrix(37, 5);
        Path shards = Files.createDirectories(dir.resolve("shards"));
        EmbeddingFiles.write(
                shards.resolve("img_emb_0.npy"), new FloatMatrix(Arrays.copyOfRange(m.data(), 0, 20 * 5), 20, 5));
        EmbeddingFiles.write(
                shards.resolve("img_emb_1.npy"), new FloatMatrix(Arrays.copyOfRange(m.data(), 20 * 5, 37 * 5), 17, 5));
        try (PoolReader pool = PoolReader.open(shards.toString())) {
            assertEquals(37, pool.rows());
            float[] slice = new float[10 * 5];
            pool.read(15, 10, slice);
            assertArrayEquals(Arrays.copyOfRange(m.data(), 15 * 5, 25 * 5), slice, "rows 15..24 span both shards");
        }
    }
}
