package dev.strata.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.io.NpzReader;
import dev.strata.io.PythonNumpy;
import dev.strata.model.ClusterLevel;
import dev.strata.model.ClusterTree;
import dev.strata.model.ModelFile;
import dev.strata.model.ModelNpz;
import dev.strata.vector.FloatMatrix;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code strata inspect --export model.npz}: the whole tree, read back by Java and by numpy itself. */
class ModelExportTest {
    @TempDir
    Path dir;

    private Path exported(Path model) {
        Path npz = dir.resolve("model.npz");
        CliRun r = CliRun.of("inspect", "--model", model.toString(), "--export", npz.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("wrote 2 levels"), r.out());
        return npz;
    }

    @Test
    void javaReadsBackEveryLevel() {
        Path model = TestModels.dim8(dir);
        ClusterTree tree = ModelFile.read(model);
        try (NpzReader npz = NpzReader.open(exported(model))) {
            Set<String> expected = new TreeSet<>();
            for (int t = 1; t <= tree.depth(); t++) {
                expected.addAll(Set.of(ModelNpz.centroids(t), ModelNpz.parent(t), ModelNpz.size(t)));
                ClusterLevel level = tree.level(t);
                FloatMatrix c = npz.float32(ModelNpz.centroids(t));
                assertEquals(level.clusters(), c.rows());
                assertEquals(tree.dim(), c.dim());
                assertArrayEquals(level.centroids().data(), c.data());
                long[] parent = npz.int64(ModelNpz.parent(t));
                for (int i = 0; i < parent.length; i++) {
                    assertEquals(level.parent()[i], parent[i], "level " + t + " parent " + i);
                }
                assertArrayEquals(level.size(), npz.int64(ModelNpz.size(t)));
            }
            assertEquals(expected, npz.names());
        }
    }

    /** numpy.load on the file; the script prints every array's dtype, shape and values as JSON. */
    private static final String DUMP = String.join(
            "\n",
            "import json, sys, numpy",
            "m = numpy.load(sys.argv[1])",
            "print(json.dumps({k: {'dtype': str(m[k].dtype), 'shape': list(m[k].shape),",
            "                      'values': m[k].ravel().tolist()} for k in m.files}))");

    @Test
    void numpyLoadsTheSameArrays() throws Exception {
        assumeTrue(PythonNumpy.available(), PythonNumpy.MISSING);
        Path model = TestModels.dim8(dir);
        ClusterTree tree = ModelFile.read(model);
        PythonNumpy.Result py = PythonNumpy.run(DUMP, exported(model).toString());
        assertEquals(0, py.exit(), py.err());
        JsonNode arrays = new ObjectMapper().readTree(py.out());
        assertEquals(3 * tree.depth(), arrays.size(), py.out());
        for (int t = 1; t <= tree.depth(); t++) {
            ClusterLevel level = tree.level(t);
            JsonNode c = arrays.path(ModelNpz.centroids(t));
            assertEquals("float32", c.path("dtype").asText());
            assertEquals(level.clusters(), c.path("shape").get(0).asInt());
            assertEquals(tree.dim(), c.path("shape").get(1).asInt());
            float[] values = new float[c.path("values").size()];
            for (int i = 0; i < values.length; i++) {
                values[i] =
                        (float) c.path("values").get(i).asDouble(); // a float32 printed by Python is exact as a double
            }
            assertArrayEquals(level.centroids().data(), values);
            JsonNode parent = arrays.path(ModelNpz.parent(t));
            JsonNode size = arrays.path(ModelNpz.size(t));
            assertEquals("int64", parent.path("dtype").asText());
            assertEquals("int64", size.path("dtype").asText());
            for (int i = 0; i < level.clusters(); i++) {
                assertEquals(level.parent()[i], parent.path("values").get(i).asLong(), "level " + t + " parent " + i);
                assertEquals(level.size()[i], size.path("values").get(i).asLong(), "level " + t + " size " + i);
            }
        }
        assertEquals(-1, arrays.at("/level2_parent/values/0").asLong(), "the top level's parents are -1");
    }

    @Test
    void exportOtherThanNpzIsOneLine() {
        Path model = TestModels.dim8(dir);
        CliRun r = CliRun.of(
                "inspect",
                "--model",
                model.toString(),
                "--export",
                dir.resolve("model.txt").toString());
        assertEquals(Strata.USAGE_ERROR, r.exit());
        assertTrue(r.oneLineError() && r.err().contains("FILE.npz"), r.err());
    }
}
