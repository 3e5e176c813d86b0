package dev.strata.bootstrap.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.StrataException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ClusterBootstrapSpecTest {
    private static final String BASE = "job: bootstrap\ninput: pool.npy\nout: pool.model\nlevels: [100, 10]\n";

    private static String refused(String yaml) {
        return assertThrows(StrataException.class, () -> ClusterBootstrapSpec.parse(yaml, "b.yaml", null))
                .getMessage();
    }

    @Test
    void defaultsAreThoseOfStrataBootstrap() {
        ClusterBootstrapSpec s = ClusterBootstrapSpec.parse(BASE, "b.yaml", Path.of("/home/p"));
        assertEquals("/home/p/pool.npy", s.input, "relative paths resolve against the project folder");
        assertEquals(50, s.iters);
        assertEquals(10, s.levelSpecs(10_000).get(0).resampleSteps());
        assertEquals(50, s.levelSpecs(10_000).get(0).sampleSize(), "half the mean cluster size");
        assertNull(s.parallelism, "Flink's parallelism unless the file sets one");
        assertEquals(ClusterBootstrapSpec.DEFAULT_SAMPLE_ROWS, s.sampleRows);
    }

    @Test
    void roundTripsThroughTheYamlSubmitSends() {
        ClusterBootstrapSpec s = ClusterBootstrapSpec.parse(
                BASE + "splits: [10, 1]\nresampleSteps: [0, 3]\nsampleRows: 500\n" + "parallelism: 3\nseed: 7\n",
                "b.yaml",
                null);
        ClusterBootstrapSpec back = ClusterBootstrapSpec.parse(s.toYaml(), "sent", null);
        assertEquals(s.toYaml(), back.toYaml());
        assertEquals(10, back.levelSpecs(10_000).get(0).splits());
        assertEquals(500, back.sampleRows);
        assertEquals(3, back.parallelism);
    }

    @Test
    void badValuesAreOneLineNamingTheKey() {
        // the same reader and words as `strata bootstrap --config` (BootstrapYaml)
        assertTrue(refused(BASE + "threads: 1.5\n").contains("threads: 1.5 is not an integer >= 1"));
        assertTrue(refused(BASE + "workDir: w\n").contains("unknown key 'workDir'"));
        assertTrue(refused(BASE + "sampleRows: 0\n").contains("sampleRows: 0 is not an integer >= 1"));
        assertTrue(refused(BASE + "parallelism: four\n").contains("parallelism: 'four' is not an integer >= 1"));
        assertTrue(refused(BASE + "sampleRow: 10\n").contains("unknown key 'sampleRow'"));
        assertTrue(refused(BASE + "metric: manhattan\n").toLowerCase().contains("manhattan"));
        assertTrue(refused("job: bootstrap\ninput: a.npy\nout: b\n").contains("input, out and levels are required"));
        for (String bad : new String[] {BASE + "sampleRows: 0\n", BASE + "sampleRow: 10\n"}) {
            assertEquals(1, refused(bad).lines().count());
        }
    }
}
