package dev.strata.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.StrataException;
import dev.strata.vector.FloatMatrix;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyReaderTest {
    @TempDir
    Path dir;

    private Path put(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    private String refusal(Path p) {
        StrataException e = assertThrows(StrataException.class, () -> NpyReader.read(p));
        assertTrue(e.getMessage().startsWith(p.toString() + ": "), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage();
    }

    private static FloatMatrix random(int rows, int dim, long seed) {
        Random r = new Random(seed);
        float[] d = new float[rows * dim];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) r.nextGaussian();
        }
        return new FloatMatrix(d, rows, dim);
    }

    @Test
    void float32RoundTripSpansSeveralReadChunks() {
        // 2000 x 300 floats = 2.4 MB, more than two 1 MiB chunks and not a whole number of them
        FloatMatrix m = random(2000, 300, 1);
        Path p = dir.resolve("m.npy");
        NpyWriter.write(p, m);
        FloatMatrix back = NpyReader.read(p);
        assertEquals(2000, back.rows());
        assertEquals(300, back.dim());
        assertArrayEquals(m.data(), back.data());
    }

    @Test
    void writerHeaderIsVersion1PaddedTo64Bytes() throws IOException {
        Path p = dir.resolve("small.npy");
        NpyWriter.write(p, new FloatMatrix(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
        byte[] b = Files.readAllBytes(p);
        assertEquals(1, b[6]);
        assertEquals(0, b[7]);
        int headerLen = (b[8] & 0xff) | (b[9] & 0xff) << 8;
        assertEquals(0, (10 + headerLen) % 64);
        assertEquals(10 + headerLen + 6 * 4, b.length);
        String header = new String(b, 10, headerLen, StandardCharsets.ISO_8859_1);
        assertTrue(header.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"), header);
        assertTrue(header.endsWith("\n"));
    }

    @Test
    void readsFloat64AsFloat32() throws IOException {
        Path p = put(
                "d.npy",
                NpyBytes.file(1, NpyBytes.dict("<f8", false, "(2, 2)"), NpyBytes.doubles(1.5, -2.25, 1e-3, 3e10)));
        FloatMatrix m = NpyReader.read(p);
        assertArrayEquals(new float[] {1.5f, -2.25f, 1e-3f, 3e10f}, m.data());
    }

    @Test
    void readsLargeFloat64AcrossChunks() {
        int rows = 1000;
        int dim = 200;
        double[] d = new double[rows * dim];
        float[] expected = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = i * 0.001;
            expected[i] = (float) d[i];
        }
        Path p = dir.resolve("big64.npy");
        try {
            Files.write(p, NpyBytes.file(1, NpyBytes.dict("<f8", false, "(1000, 200)"), NpyBytes.doubles(d)));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        assertArrayEquals(expected, NpyReader.read(p).data());
    }

    @Test
    void readsVersion2And3Headers() throws IOException {
        byte[] data = NpyBytes.floats(ByteOrder.LITTLE_ENDIAN, 1, 2, 3, 4);
        for (int major : new int[] {2, 3}) {
            Path p = put("v" + major + ".npy", NpyBytes.file(major, NpyBytes.dict("<f4", false, "(1, 4)"), data));
            assertArrayEquals(new float[] {1, 2, 3, 4}, NpyReader.read(p).data());
        }
    }

    @Test
    void toleratesPython2LongLiteralsAndKeyOrder() throws IOException {
        String dict = "{'shape': (2L, 1L), 'fortran_order': False, 'descr': '<f4'}";
        Path p = put("py2.npy", NpyBytes.file(1, dict, NpyBytes.floats(ByteOrder.LITTLE_ENDIAN, 7, 8)));
        FloatMatrix m = NpyReader.read(p);
        assertEquals(2, m.rows());
        assertArrayEquals(new float[] {7, 8}, m.data());
    }

    @Test
    void readsZeroRows() throws IOException {
        Path p = put("empty.npy", NpyBytes.file(1, NpyBytes.dict("<f4", false, "(0, 8)"), new byte[0]));
        FloatMatrix m = NpyReader.read(p);
        assertEquals(0, m.rows());
        assertEquals(8, m.dim());
    }

    @Test
    void refusesBigEndian() throws IOException {
        Path p = put(
                "be.npy",
                NpyBytes.file(1, NpyBytes.dict(">f4", false, "(1, 2)"), NpyBytes.floats(ByteOrder.BIG_ENDIAN, 1, 2)));
        String m = refusal(p);
        assertTrue(m.contains("dtype '>f4' (big-endian float32) is not supported"), m);
        assertTrue(m.contains("'<f4'"), m);
    }

    @Test
    void refusesThreeDimensions() throws IOException {
        Path p = put("cube.npy", NpyBytes.file(1, NpyBytes.dict("<f4", false, "(10, 4, 2)"), new byte[320]));
        String m = refusal(p);
        assertTrue(m.contains("array is 3-D (10, 4, 2); expected a 2-D (rows, dim) array"), m);
    }

    @Test
    void refusesOneDimensionForEmbeddings() throws IOException {
        Path p = put("vec.npy", NpyBytes.file(1, NpyBytes.dict("<f4", false, "(10,)"), new byte[40]));
        String m = refusal(p);
        assertTrue(m.contains("array is 1-D (10,); expected a 2-D (rows, dim) array"), m);
        assertTrue(m.contains("reshape(1, -1)"), m);
    }

    @Test
    void refusesFortranOrder() throws IOException {
        Path p = put("f.npy", NpyBytes.file(1, NpyBytes.dict("<f4", true, "(2, 3)"), new byte[24]));
        String m = refusal(p);
        assertTrue(m.contains("fortran_order=True"), m);
        assertTrue(m.contains("np.ascontiguousarray"), m);
    }

    @Test
    void refusesIntegerEmbeddings() throws IOException {
        Path p = put("ints.npy", NpyBytes.file(1, NpyBytes.dict("<i8", false, "(2, 2)"), new byte[32]));
        String m = refusal(p);
        assertTrue(m.contains("dtype '<i8' (int64) is not supported"), m);
        assertTrue(m.contains("float32 ('<f4')"), m);
    }

    @Test
    void refusesStructuredDtype() throws IOException {
        String dict = "{'descr': [('x', '<f4'), ('y', '<f4')], 'fortran_order': False, 'shape': (3,), }";
        Path p = put("rec.npy", NpyBytes.file(1, dict, new byte[24]));
        assertTrue(refusal(p).contains("structured dtype"));
    }

    @Test
    void refusesTruncatedData() throws IOException {
        Path p = put("data.npy", NpyBytes.file(1, NpyBytes.dict("<f4", false, "(10, 40)"), new byte[1200]));
        String m = refusal(p);
        assertTrue(m.contains("holds 1200 bytes of data, header promises 1600"), m);
        assertTrue(m.contains("(truncated?)"), m);
    }

    @Test
    void refusesTruncatedHeader() throws IOException {
        byte[] full = NpyBytes.file(1, NpyBytes.dict("<f4", false, "(1, 1)"), new byte[4]);
        Path p = put("cut.npy", java.util.Arrays.copyOf(full, 30));
        assertTrue(refusal(p).contains("header is cut short"));
    }

    @Test
    void refusesBadMagic() throws IOException {
        Path p = put("text.npy", "a,b,c\n1,2,3\n".getBytes(StandardCharsets.US_ASCII));
        assertTrue(refusal(p).contains("not a .npy file"));
        Path tiny = put("tiny.npy", new byte[] {1, 2});
        assertTrue(refusal(tiny).contains("not a .npy file"));
    }

    @Test
    void refusesUnknownVersionAndMalformedHeader() throws IOException {
        byte[] b = NpyBytes.file(1, NpyBytes.dict("<f4", false, "(1, 1)"), new byte[4]);
        b[6] = 9;
        assertTrue(refusal(put("v9.npy", b)).contains("format version 9.0 is not supported"));
        Path p = put("bad.npy", NpyBytes.file(1, "{'descr': '<f4', 'shape': (1, 1), }", new byte[4]));
        assertTrue(refusal(p).contains("malformed .npy header"));
    }

    @Test
    void refusesMissingFile() {
        String m = refusal(dir.resolve("absent.npy"));
        assertTrue(m.contains("no such file"), m);
    }

    @Test
    void labelsRoundTripAsInt32() {
        int[] labels = new int[300_000];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 7 - 3;
        }
        Path p = dir.resolve("l.labels.npy");
        NpyWriter.writeLabels(p, labels);
        assertArrayEquals(labels, NpyReader.readLabels(p));
    }

    @Test
    void readsInt64Labels() throws IOException {
        Path p = put(
                "l64.npy",
                NpyBytes.file(1, NpyBytes.dict("<i8", false, "(3,)"), NpyBytes.longs(4, -1, 2_000_000_000L)));
        assertArrayEquals(new int[] {4, -1, 2_000_000_000}, NpyReader.readLabels(p));
    }

    @Test
    void refusesBadLabels() throws IOException {
        Path big = put("big.npy", NpyBytes.file(1, NpyBytes.dict("<i8", false, "(2,)"), NpyBytes.longs(1, 1L << 40)));
        String m = assertThrows(StrataException.class, () -> NpyReader.readLabels(big))
                .getMessage();
        assertTrue(m.contains("value 1099511627776 at index 1 does not fit in int32"), m);

        Path floats = put("fl.npy", NpyBytes.file(1, NpyBytes.dict("<f4", false, "(2,)"), new byte[8]));
        m = assertThrows(StrataException.class, () -> NpyReader.readLabels(floats))
                .getMessage();
        assertTrue(m.contains("dtype '<f4' (float32) is not supported; expected little-endian int32 ('<i4')"), m);

        Path column = put("col.npy", NpyBytes.file(1, NpyBytes.dict("<i4", false, "(2, 1)"), new byte[8]));
        m = assertThrows(StrataException.class, () -> NpyReader.readLabels(column))
                .getMessage();
        assertTrue(m.contains("array is 2-D (2, 1); expected a 1-D (rows,) array"), m);
    }
}
