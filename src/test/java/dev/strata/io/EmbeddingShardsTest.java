package dev.strata.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.StrataException;
import dev.strata.vector.FloatMatrix;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddingShardsTest {
    @TempDir
    Path dir;

    /** Values on a 1/16 grid in [-4, 4): exact in float16, so an f16 shard must read back bit for bit. */
    private static FloatMatrix grid(int rows, int dim, long seed) {
        Random r = new Random(seed);
        float[] d = new float[rows * dim];
        for (int i = 0; i < d.length; i++) {
            d[i] = (r.nextInt(128) - 64) / 16f;
        }
        return new FloatMatrix(d, rows, dim);
    }

    private static FloatMatrix rows(FloatMatrix m, int from, int to) {
        return new FloatMatrix(Arrays.copyOfRange(m.data(), from * m.dim(), to * m.dim()), to - from, m.dim());
    }

    /** Writes m's rows [from, to) as an f16 .npy, encoding each (exactly representable) value by hand. */
    private Path writeF16(Path p, FloatMatrix m, int from, int to) throws IOException {
        int n = (to - from) * m.dim();
        ByteBuffer b = ByteBuffer.allocate(n * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            b.putShort(toHalf(m.data()[from * m.dim() + i]));
        }
        Files.write(
                p, NpyBytes.file(1, NpyBytes.dict("<f2", false, "(" + (to - from) + ", " + m.dim() + ")"), b.array()));
        return p;
    }

    private static short toHalf(float f) {
        int bits = Float.floatToIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        if (f == 0) {
            return (short) sign;
        }
        int exponent = ((bits >>> 23) & 0xff) - 127 + 15;
        int mantissa = (bits >>> 13) & 0x3ff;
        assertTrue(exponent > 0 && exponent < 31 && (bits & 0x1fff) == 0, "value " + f + " is not exact in f16");
        return (short) (sign | exponent << 10 | mantissa);
    }

    private String refusal(Path input, String shard) {
        StrataException e = assertThrows(StrataException.class, () -> EmbeddingShards.open(input));
        assertTrue(e.getMessage().startsWith(shard + ": "), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void shardedFolderReadsAsTheSingleFileInNameOrder() throws IOException {
        FloatMatrix all = grid(100, 7, 1);
        Path single = dir.resolve("all.npy");
        NpyWriter.write(single, all);
        Path shards = Files.createDirectory(dir.resolve("shards"));
        // unpadded LAION names: natural order puts 2 before 10
        NpyWriter.write(shards.resolve("img_emb_0.npy"), rows(all, 0, 30));
        NpyWriter.write(shards.resolve("img_emb_2.npy"), rows(all, 30, 31));
        NpyWriter.write(shards.resolve("img_emb_10.npy"), rows(all, 31, 100));
        Files.writeString(shards.resolve("metadata.json"), "{}");

        EmbeddingShards in = EmbeddingShards.open(shards);
        assertEquals(3, in.shards().size());
        assertEquals(100, in.rows());
        assertEquals(7, in.dim());
        assertEquals(
                List.of(0L, 30L, 31L),
                in.shards().stream().map(EmbeddingShard::firstRow).toList());
        assertArrayEquals(
                EmbeddingShards.open(single).readAll().data(), in.readAll().data());
        assertArrayEquals(all.data(), in.readAll().data());
        // a pool above one array's 2^31 floats is read into chunks of rows; 9-row chunks stand in for 4 GiB ones
        FloatMatrix chunked = in.readAll(9);
        assertTrue(chunked.chunked());
        float[] back = new float[all.data().length];
        chunked.copyRows(0, 100, back, 0);
        assertArrayEquals(all.data(), back);
    }

    @Test
    void rangesAcrossShardsAndManySmallWindowsCopyTheRightRows() throws IOException {
        FloatMatrix all = grid(50, 5, 2);
        NpyWriter.write(dir.resolve("a_0.npy"), rows(all, 0, 17));
        NpyWriter.write(dir.resolve("a_1.npy"), rows(all, 17, 50));
        EmbeddingShards in = EmbeddingShards.open(dir.resolve("a_*.npy"));
        // a 64-byte window holds 3 rows of 5 floats: every read maps several windows
        try (ShardReader r = in.reader(64)) {
            for (int[] range : new int[][] {{0, 50}, {15, 5}, {16, 1}, {17, 1}, {3, 40}, {49, 1}}) {
                float[] block = new float[range[1] * 5 + 2];
                r.read(range[0], range[1], block, 2);
                assertArrayEquals(
                        Arrays.copyOfRange(all.data(), range[0] * 5, (range[0] + range[1]) * 5),
                        Arrays.copyOfRange(block, 2, block.length),
                        "rows " + range[0] + "+" + range[1]);
            }
        }
    }

    @Test
    void float16ShardsWidenExactlyAndMixWithFloat32() throws IOException {
        FloatMatrix all = grid(40, 6, 3);
        writeF16(dir.resolve("emb_0000.npy"), all, 0, 25);
        NpyWriter.write(dir.resolve("emb_0001.npy"), rows(all, 25, 40));
        EmbeddingShards in = EmbeddingShards.open(dir);
        assertEquals(ShardEncoding.NPY_F16, in.shards().get(0).encoding());
        assertArrayEquals(all.data(), in.readAll().data());
        try (ShardReader r = in.reader(40)) {
            float[] block = new float[10 * 6];
            r.read(20, 10, block, 0);
            assertArrayEquals(Arrays.copyOfRange(all.data(), 20 * 6, 30 * 6), block);
        }
    }

    @Test
    void float16SpecialValuesConvert() {
        assertEquals(1.0f, Float16.convert(0x3c00));
        assertEquals(-2.0f, Float16.convert(0xc000));
        assertEquals(65504f, Float16.convert(0x7bff));
        assertEquals(0x1p-24f, Float16.convert(0x0001));
        assertEquals(0x1p-14f, Float16.convert(0x0400));
        assertEquals(Float.POSITIVE_INFINITY, Float16.convert(0x7c00));
        assertEquals(Float.NEGATIVE_INFINITY, Float16.convert(0xfc00));
        assertTrue(Float.isNaN(Float16.convert(0x7e00)));
        assertEquals(Float.floatToIntBits(-0.0f), Float.floatToIntBits(Float16.convert(0x8000)));
    }

    @Test
    void aShardOfAnotherDimensionIsRefusedByName() throws IOException {
        NpyWriter.write(dir.resolve("img_emb_0.npy"), grid(10, 8, 4));
        Path odd = dir.resolve("img_emb_1.npy");
        NpyWriter.write(odd, grid(10, 9, 5));
        String msg = refusal(dir, odd.toString());
        assertTrue(msg.contains("dimension 9 differs from the first shard's"), msg);
        assertTrue(msg.contains("img_emb_0.npy: 8"), msg);
    }

    @Test
    void badShardsAreRefusedByNameWithTheFix() throws IOException {
        NpyWriter.write(dir.resolve("s_0.npy"), grid(4, 2, 6));
        Path bad = dir.resolve("s_1.npy");

        Files.write(bad, NpyBytes.file(1, NpyBytes.dict("<i4", false, "(2, 2)"), new byte[16]));
        assertTrue(refusal(dir, bad.toString()).contains("dtype '<i4' (int32) is not supported"));

        Files.write(bad, NpyBytes.file(1, NpyBytes.dict("<f4", true, "(2, 2)"), new byte[16]));
        assertTrue(refusal(dir, bad.toString()).contains("np.ascontiguousarray"));

        Files.write(bad, NpyBytes.file(1, NpyBytes.dict("<f4", false, "(4,)"), new byte[16]));
        assertTrue(refusal(dir, bad.toString()).contains("expected a 2-D (rows, dim) array"));

        Files.write(bad, NpyBytes.file(1, NpyBytes.dict("<f4", false, "(3, 2)"), new byte[20]));
        assertTrue(refusal(dir, bad.toString()).contains("truncated?"));
    }

    @Test
    void emptyFolderAndUnmatchedGlobSayWhatToPointAt() throws IOException {
        Path empty = Files.createDirectory(dir.resolve("empty"));
        assertTrue(refusal(empty, empty.toString()).contains("holds no .npy or .fvecs files"));
        Path glob = dir.resolve("nothing_*.npy");
        assertTrue(refusal(glob, glob.toString()).contains("no file matches"));
    }

    @Test
    void fvecsShardsReadAndATruncatedOneIsNamed() throws IOException {
        FloatMatrix all = grid(12, 3, 7);
        FvecsWriter.write(dir.resolve("v_0.fvecs"), rows(all, 0, 5));
        FvecsWriter.write(dir.resolve("v_1.fvecs"), rows(all, 5, 12));
        EmbeddingShards in = EmbeddingShards.open(dir);
        assertArrayEquals(all.data(), in.readAll().data());
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve("v_1.fvecs").toFile(), "rw")) {
            f.setLength(f.length() - 3);
        }
        assertTrue(refusal(dir, dir.resolve("v_1.fvecs").toString()).contains("cut short"));
    }

    @Test
    void flinkFileSystemStreamsTheSameRows() throws IOException {
        FloatMatrix all = grid(60, 4, 8);
        writeF16(dir.resolve("e_0.npy"), all, 0, 20);
        NpyWriter.write(dir.resolve("e_1.npy"), rows(all, 20, 60));
        String uri = dir.toUri() + "e_*.npy";
        EmbeddingShards streamed = EmbeddingShards.open(uri, uri, new FlinkShardStore());
        assertEquals(2, streamed.shards().size());
        assertTrue(
                streamed.shards().get(0).location().startsWith("file:"),
                streamed.shards().get(0).location());
        assertArrayEquals(all.data(), streamed.readAll().data());
        try (ShardReader r = streamed.reader(48)) {
            float[] block = new float[30 * 4];
            r.read(5, 30, block, 0);
            assertArrayEquals(Arrays.copyOfRange(all.data(), 5 * 4, 35 * 4), block);
        }
        // a file:// URI through the public entry point is read mapped, with the same rows
        assertArrayEquals(
                all.data(),
                EmbeddingShards.open(uri.replace("e_*.npy", "")).readAll().data());
    }
}
