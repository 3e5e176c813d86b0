package dev.strata.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.TestTrees;
import dev.strata.model.ClusterTree;
import dev.strata.model.ModelFile;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every task of a TaskManager loads the model; they share one copy per file and version, and the
 * version check still guards what they get.
 */
class ModelLoaderTest {
    @TempDir
    Path dir;

    private static ClusterTree tree(long seed) {
        return TestTrees.twoLevel(8, new int[] {0, 0, 1, 1}, new long[] {5, 6, 7, 8}, 2, seed);
    }

    @Test
    void tasksOfOneJobShareOneCopyOfTheModelTheyWereSubmittedWith() {
        Path file = dir.resolve("m.strata");
        ClusterTree written = ModelFile.write(tree(1), file);
        ClusterTree a = ModelLoader.load(file.toString(), written.version());
        ClusterTree b = ModelLoader.load(file.toString(), written.version());
        assertSame(a, b, "two tasks, one copy");
        assertEquals(written.version(), a.version());
    }

    /**
     * A job whose model file was replaced after submission fails on every TaskManager: one that
     * still holds the submitted copy must not run on with it while the others refuse the file.
     */
    @Test
    void aSharedCopyIsNotUsedOnceTheFileChanged() throws Exception {
        Path file = dir.resolve("m.strata");
        ClusterTree submitted = ModelFile.write(tree(1), file);
        ClusterTree held = ModelLoader.load(file.toString(), submitted.version());
        ModelFile.write(tree(4), file);
        java.nio.file.Files.setLastModifiedTime(
                file, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5_000));
        NonRecoverable e =
                assertThrows(NonRecoverable.class, () -> ModelLoader.load(file.toString(), submitted.version()));
        assertTrue(e.getMessage().contains(submitted.version()), e.getMessage());
        // held to the end, as a running task holds it: the shared copy is still there to be (wrongly) reused
        assertEquals(submitted.version(), held.version());
    }

    @Test
    void aFileReplacedByAnotherModelIsReadAgainAndItsVersionChecked() {
        Path file = dir.resolve("m.strata");
        ClusterTree first = ModelFile.write(tree(1), file);
        ClusterTree loadedFirst = ModelLoader.load(file.toString(), first.version());
        ClusterTree second = ModelFile.write(tree(2), file);
        assertTrue(!first.version().equals(second.version()), "the two models must differ");
        ClusterTree loadedSecond = ModelLoader.load(file.toString(), second.version());
        assertNotSame(loadedFirst, loadedSecond);
        assertEquals(second.version(), loadedSecond.version());
        // a job submitted with a version the file no longer has, on a TaskManager that holds no copy
        ModelFile.write(tree(3), file);
        NonRecoverable e =
                assertThrows(NonRecoverable.class, () -> ModelLoader.load(file.toString(), "0123456789abcdef"));
        assertTrue(e.getMessage().contains("0123456789abcdef"), e.getMessage());
    }
}
