package dev.strata.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.StrataException;
import dev.strata.TestTrees;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFileTest {
    @TempDir
    Path dir;

    private ClusterTree sample() {
        return TestTrees.twoLevel(5, new int[] {0, 0, 1, 2, 2}, new long[] {10, 20, 3, 4, 5}, 3, 17);
    }

    @Test
    void roundTripKeepsEverything() throws Exception {
        ClusterTree tree = sample();
        Path p = dir.resolve("m.strata");
        ClusterTree written = ModelFile.write(tree, p);
        ClusterTree read = ModelFile.read(p);
        assertEquals(16, written.version().length());
        assertEquals(written.version(), read.version());
        assertEquals(tree.metric(), read.metric());
        assertEquals(tree.dim(), read.dim());
        assertEquals(2, read.depth());
        for (int t = 0; t < 2; t++) {
            assertArrayEquals(
                    tree.levels().get(t).centroids().data(),
                    read.levels().get(t).centroids().data());
            assertArrayEquals(
                    tree.levels().get(t).parent(), read.levels().get(t).parent());
            assertArrayEquals(tree.levels().get(t).size(), read.levels().get(t).size());
        }
        assertEquals(tree.params(), read.params());
        // the header is self-describing JSON a person can read with `head -c`
        String bytes = new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1);
        assertTrue(bytes.contains("\"metric\":\"l2\""));
        assertTrue(bytes.contains("\"dim\":5"));
    }

    @Test
    void differentModelsHaveDifferentVersions() {
        ClusterTree a = ModelFile.write(sample(), dir.resolve("a"));
        ClusterTree b = ModelFile.write(
                TestTrees.twoLevel(5, new int[] {0, 0, 1, 2, 2}, new long[] {10, 20, 3, 4, 6}, 3, 17),
                dir.resolve("b"));
        assertNotEquals(a.version(), b.version());
    }

    @Test
    void truncatedFileIsRefusedWithOneLine() throws Exception {
        Path p = dir.resolve("m.strata");
        ModelFile.write(sample(), p);
        byte[] all = Files.readAllBytes(p);
        for (int cut : new int[] {3, 12, 40, all.length / 2, all.length - 1}) {
            Path t = dir.resolve("cut" + cut);
            Files.write(t, Arrays.copyOf(all, cut));
            StrataException e = assertThrows(StrataException.class, () -> ModelFile.read(t));
            assertTrue(
                    e.getMessage().contains("truncated")
                            || e.getMessage().contains("corrupted")
                            || e.getMessage().contains("bad magic"),
                    e.getMessage());
            assertEquals(1, e.getMessage().lines().count());
        }
    }

    @Test
    void flippedByteIsCaughtByTheChecksum() throws Exception {
        Path p = dir.resolve("m.strata");
        ModelFile.write(sample(), p);
        byte[] all = Files.readAllBytes(p);
        all[all.length - 40] ^= 0x10; // inside the arrays
        Files.write(p, all);
        StrataException e = assertThrows(StrataException.class, () -> ModelFile.read(p));
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
    }

    @Test
    void foreignAndMissingFilesAreRefused() throws Exception {
        Path npy = dir.resolve("x.npy");
        Files.write(npy, new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, 0, 0, 0, 0});
        assertTrue(assertThrows(StrataException.class, () -> ModelFile.read(npy))
                .getMessage()
                .contains("not a Strata model"));
        assertTrue(assertThrows(StrataException.class, () -> ModelFile.read(dir.resolve("nope")))
                .getMessage()
                .contains("no such model file"));
    }

    @Test
    void newerFormatIsRefusedWithAHint() throws Exception {
        Path p = dir.resolve("m.strata");
        ModelFile.write(sample(), p);
        byte[] all = Files.readAllBytes(p);
        all[8] = 9; // format version, little-endian int right after the magic
        Files.write(p, all);
        StrataException e = assertThrows(StrataException.class, () -> ModelFile.read(p));
        assertTrue(e.getMessage().contains("format version 9"), e.getMessage());
    }
}
