package dev.strata.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.StrataException;
import dev.strata.vector.FloatMatrix;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddingFilesTest {
    @TempDir
    Path dir;

    private final FloatMatrix m = new FloatMatrix(new float[] {1, 2, 3, 4, 5, 6}, 3, 2);

    @Test
    void dispatchesOnExtensionCaseInsensitively() throws IOException {
        for (String name : new String[] {"a.npy", "b.fvecs", "C.NPY", "d.FVECS"}) {
            Path p = dir.resolve(name);
            EmbeddingFiles.write(p, m);
            FloatMatrix back = EmbeddingFiles.read(p);
            assertEquals(2, back.dim());
            assertArrayEquals(m.data(), back.data());
        }
        assertEquals(3 * (4 + 8), Files.size(dir.resolve("b.fvecs")));
    }

    @Test
    void refusesUnknownExtension() throws IOException {
        Path csv = dir.resolve("data.csv");
        Files.writeString(csv, "1,2\n");
        String msg = assertThrows(StrataException.class, () -> EmbeddingFiles.read(csv))
                .getMessage();
        assertTrue(msg.contains("expected a .npy or .fvecs file"), msg);
        assertThrows(StrataException.class, () -> EmbeddingFiles.write(dir.resolve("out.bin"), m));
    }

    @Test
    void reportsMissingFilesAndDirectories() throws IOException {
        Path missing = dir.resolve("nowhere/data.npy");
        String msg = assertThrows(StrataException.class, () -> EmbeddingFiles.read(missing))
                .getMessage();
        assertEquals(missing + ": no such file; check the path", msg);

        Path folder = Files.createDirectory(dir.resolve("folder.npy"));
        msg = assertThrows(StrataException.class, () -> EmbeddingFiles.read(folder))
                .getMessage();
        assertTrue(msg.contains("is a directory"), msg);

        msg = assertThrows(StrataException.class, () -> EmbeddingFiles.write(missing, m))
                .getMessage();
        assertTrue(msg.contains("directory does not exist"), msg);
    }
}
