package dev.strata.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.strata.io.EmbeddingFiles;
import dev.strata.io.NpyReader;
import dev.strata.vector.FloatMatrix;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticDataTest {
    @TempDir
    Path dir;

    @Test
    void writesPointsAndLabelsSideBySide() {
        SyntheticData d = new SyntheticData(new FloatMatrix(new float[] {1, 2, 3, 4}, 2, 2), new int[] {1, 0});
        Path labels = d.write(dir.resolve("FILE.npy"));
        assertEquals(dir.resolve("FILE.labels.npy"), labels);
        assertArrayEquals(
                d.points().data(), NpyReader.read(dir.resolve("FILE.npy")).data());
        assertArrayEquals(new int[] {1, 0}, NpyReader.readLabels(labels));

        Path fvecsLabels = d.write(dir.resolve("v.fvecs"));
        assertEquals(dir.resolve("v.labels.npy"), fvecsLabels);
        assertArrayEquals(
                d.points().data(), EmbeddingFiles.read(dir.resolve("v.fvecs")).data());
    }

    @Test
    void countsLabelsAndRejectsMismatchedLengths() {
        SyntheticData d = new SyntheticData(new FloatMatrix(new float[3], 3, 1), new int[] {2, 0, 2});
        assertArrayEquals(new int[] {1, 0, 2}, d.labelCounts());
        assertThrows(
                IllegalArgumentException.class,
                () -> new SyntheticData(new FloatMatrix(new float[3], 3, 1), new int[] {0}));
    }
}
