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

/** Slices read by seeking are the rows the whole-file readers return; a damaged file is one line. */
class LocalPoolFileTest {
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
        String msg = assertThrows(StrataException.class, () -> PoolReader.open(f.toString())).getMessage();
        assertTrue(msg.contains("truncated"), msg);
        assertEquals(1, msg.lines().count());
    }

    @Test
    void objectStoresAreRefusedUntilTheShardedReaderLands() {
        String msg = assertThrows(StrataException.class, () -> PoolReader.open("s3://bucket/pool.npy")).getMessage();
        assertTrue(msg.contains("every TaskManager mounts"), msg);
    }
}
