package dev.strata.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.StrataException;
import dev.strata.TestTrees;
import dev.strata.vector.FloatMatrix;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model file is streamed in and out (no 2 GiB ceiling), in the same bytes as the one-buffer
 * writer produced: tiny chunks force every multi-chunk path that a 40 GB model would take.
 */
class ModelFileStreamingTest {
    @TempDir
    Path dir;

    private static ClusterTree sample() {
        return TestTrees.twoLevel(5, new int[] {0, 0, 1, 2, 2, 1, 0}, new long[] {10, 20, 3, 4, 5, 6, 7}, 3, 17);
    }

    /** The file as format version 1 lays it out, built in one buffer (how releases before streaming wrote it). */
    private static byte[] oneBuffer(ClusterTree tree) throws Exception {
        byte[] header = ModelFile.header(tree).getBytes(StandardCharsets.UTF_8);
        long arrays = 0;
        for (ClusterLevel l : tree.levels()) {
            arrays += l.clusters() * (4L * tree.dim() + 4 + 8);
        }
        ByteBuffer buf =
                ByteBuffer.allocate((int) (16 + header.length + arrays + 32)).order(ByteOrder.LITTLE_ENDIAN);
        buf.put(ModelFile.MAGIC).putInt(1).putInt(header.length).put(header);
        for (ClusterLevel l : tree.levels()) {
            for (float v : l.centroids().data()) {
                buf.putFloat(v);
            }
            for (int v : l.parent()) {
                buf.putInt(v);
            }
            for (long v : l.size()) {
                buf.putLong(v);
            }
        }
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        md.update(buf.array(), 0, buf.position());
        buf.put(md.digest());
        return buf.array();
    }

    @Test
    void streamedFileHasTheOneBufferBytesAndVersionWhateverTheChunk() throws Exception {
        ClusterTree tree = sample();
        byte[] expected = oneBuffer(tree);
        String version = HexFormat.of().formatHex(expected, expected.length - 32, expected.length - 24);
        for (int chunk : new int[] {8, 13, 64, ModelFile.CHUNK_BYTES}) {
            Path p = dir.resolve("m" + chunk);
            ClusterTree written = ModelFile.write(tree, p, chunk);
            assertArrayEquals(expected, Files.readAllBytes(p), "chunk " + chunk);
            assertEquals(version, written.version());
            ClusterTree read = ModelFile.read(new ByteArrayInputStream(expected), expected.length, "m", chunk);
            assertEquals(version, read.version());
            for (int t = 1; t <= 2; t++) {
                assertArrayEquals(
                        tree.level(t).centroids().data(),
                        read.level(t).centroids().data());
                assertArrayEquals(tree.level(t).parent(), read.level(t).parent());
                assertArrayEquals(tree.level(t).size(), read.level(t).size());
            }
        }
    }

    @Test
    void aLevelHeldInChunksIsWrittenAsOneTable() throws Exception {
        ClusterTree tree = sample();
        FloatMatrix leaves = tree.level(1).centroids();
        FloatMatrix chunked = FloatMatrix.chunked(leaves.rows(), leaves.dim(), 2);
        chunked.setRows(0, leaves.rows(), leaves.data(), 0);
        ClusterTree same = new ClusterTree(
                tree.metric(),
                tree.dim(),
                List.of(
                        new ClusterLevel(
                                chunked, tree.level(1).parent(), tree.level(1).size()),
                        tree.level(2)),
                tree.params(),
                "");
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        ModelFile.write(tree, a, 16);
        ModelFile.write(same, b, 16);
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
    }

    @Test
    void aFlippedArrayByteIsCaughtByTheStreamedHash() throws Exception {
        Path p = dir.resolve("m");
        ModelFile.write(sample(), p, 8);
        byte[] bytes = Files.readAllBytes(p);
        bytes[bytes.length - 40] ^= 1;
        Files.write(p, bytes);
        StrataException e = assertThrows(StrataException.class, () -> ModelFile.read(p));
        assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
    }
}
