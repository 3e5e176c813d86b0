package dev.strata.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.StrataException;
import dev.strata.vector.FloatMatrix;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FvecsTest {
    @TempDir
    Path dir;

    private static FloatMatrix ramp(int rows, int dim) {
        float[] d = new float[rows * dim];
        for (int i = 0; i < d.length; i++) {
            d[i] = i * 0.5f - 7;
        }
        return new FloatMatrix(d, rows, dim);
    }

    private String refusal(Path p) {
        return assertThrows(StrataException.class, () -> FvecsReader.read(p)).getMessage();
    }

    @Test
    void roundTripSpansSeveralChunks() throws IOException {
        // 3000 records of 4 + 400 bytes: several 1 MiB chunks, the last one partial
        FloatMatrix m = ramp(3000, 100);
        Path p = dir.resolve("m.fvecs");
        FvecsWriter.write(p, m);
        assertEquals(3000L * (4 + 400), Files.size(p));
        ByteBuffer head = ByteBuffer.wrap(Files.readAllBytes(p), 0, 8).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(100, head.getInt());
        assertEquals(-7f, head.getFloat());
        FloatMatrix back = FvecsReader.read(p);
        assertEquals(100, back.dim());
        assertArrayEquals(m.data(), back.data());
    }

    @Test
    void roundTripRecordLargerThanAChunk() {
        FloatMatrix m = ramp(3, 300_000);
        Path p = dir.resolve("wide.fvecs");
        FvecsWriter.write(p, m);
        assertArrayEquals(m.data(), FvecsReader.read(p).data());
    }

    @Test
    void refusesInconsistentDimensions() throws IOException {
        Path p = dir.resolve("mixed.fvecs");
        FvecsWriter.write(p, ramp(5, 4));
        byte[] b = Files.readAllBytes(p);
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(2 * 20, 3);
        Files.write(p, b);
        String m = refusal(p);
        assertTrue(m.contains("vector 2 has dimension 3 but the first has 4"), m);
    }

    @Test
    void refusesAnExtraVectorOfAnotherDimension() throws IOException {
        Path p = dir.resolve("tail.fvecs");
        FvecsWriter.write(p, ramp(2, 4));
        ByteBuffer extra = ByteBuffer.allocate(4 + 8)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putInt(2)
                .putFloat(1)
                .putFloat(2);
        Files.write(p, extra.array(), java.nio.file.StandardOpenOption.APPEND);
        assertTrue(refusal(p).contains("vector 2 has dimension 2 but the first has 4"));
    }

    @Test
    void refusesTruncation() throws IOException {
        Path p = dir.resolve("cut.fvecs");
        FvecsWriter.write(p, ramp(4, 8));
        byte[] b = Files.readAllBytes(p);
        Files.write(p, Arrays.copyOf(b, b.length - 10));
        String m = refusal(p);
        assertTrue(m.contains("the last vector is cut short (26 of 36 bytes; truncated?)"), m);
    }

    @Test
    void refusesEmptyAndImplausibleFiles() throws IOException {
        Path empty = dir.resolve("empty.fvecs");
        Files.write(empty, new byte[0]);
        assertTrue(refusal(empty).contains("the file is empty"));
        Path bigEndian = dir.resolve("be.fvecs");
        Files.write(
                bigEndian,
                ByteBuffer.allocate(12).order(ByteOrder.BIG_ENDIAN).putInt(2).array());
        String m = refusal(bigEndian);
        assertTrue(m.contains("claims dimension 33554432, which does not fit a 12-byte file"), m);
    }
}
