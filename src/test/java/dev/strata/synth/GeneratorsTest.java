package dev.strata.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.StrataException;
import dev.strata.io.EmbeddingFiles;
import dev.strata.io.NpyReader;
import dev.strata.progress.Progress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GeneratorsTest {
    @TempDir
    Path dir;

    @Test
    void dispatchesOnKind() {
        SyntheticData g = Generators.generate("gmm", 1000, 32, 10, 1.0, 1);
        assertEquals(32, g.points().dim());
        assertEquals(10, g.labelCounts().length);
        SyntheticData r = Generators.generate("RINGS", 2970, 2, 100, 1.0, 1);
        assertArrayEquals(Rings.sizesFor(2970), r.labelCounts());
    }

    @Test
    void ringsNeedTwoDimensionsAndUnknownKindsAreNamed() {
        String m = assertThrows(StrataException.class, () -> Generators.generate("rings", 1000, 3, 5, 1, 1))
                .getMessage();
        assertTrue(m.contains("rings is a 2-D data set but dim is 3"), m);
        m = assertThrows(StrataException.class, () -> Generators.generate("blobs", 1000, 3, 5, 1, 1))
                .getMessage();
        assertEquals("unknown generator 'blobs'; expected one of gmm, rings", m);
        assertThrows(StrataException.class, () -> Generators.generate("rings", 4, 2, 5, 1, 1));
    }

    @Test
    void writeProducesPointsAndInt32Labels() throws Exception {
        Path points = dir.resolve("toy.npy");
        Path labels = Generators.write("rings", 297, 2, 0, 0, 7, points, Progress.silent());
        assertEquals(dir.resolve("toy.labels.npy"), labels);
        SyntheticData expected = Rings.generate(297, 7);
        assertArrayEquals(expected.points().data(), NpyReader.read(points).data());
        assertArrayEquals(expected.labels(), NpyReader.readLabels(labels));
        // '<i4' in the header: the generate command promises int32 labels
        assertTrue(new String(Files.readAllBytes(labels), 10, 20, "ISO-8859-1").contains("'<i4'"));

        Path gmm = dir.resolve("g.npy");
        Generators.write("gmm", 400, 4, 3, 1.0, 7, gmm, Progress.silent());
        assertArrayEquals(
                Generators.generate("gmm", 400, 4, 3, 1.0, 7).points().data(),
                NpyReader.read(gmm).data());

        Path fvecs = dir.resolve("g.fvecs");
        Generators.write("gmm", 400, 4, 3, 1.0, 7, fvecs, Progress.silent());
        assertArrayEquals(NpyReader.read(gmm).data(), EmbeddingFiles.read(fvecs).data());
    }
}
