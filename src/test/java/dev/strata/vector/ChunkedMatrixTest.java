package dev.strata.vector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ChunkedMatrixTest {
    private static FloatMatrix random(int rows, int dim) {
        Random r = new Random(rows * 31L + dim);
        float[] d = new float[rows * dim];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) r.nextGaussian();
        }
        return new FloatMatrix(d, rows, dim);
    }

    @Test
    void rowsReadTheSameThroughChunks() {
        FloatMatrix one = random(50, 3);
        FloatMatrix many = FloatMatrix.chunked(50, 3, 7);
        many.setRows(0, 50, one.data(), 0);
        assertTrue(many.chunked());
        assertEquals(7, many.contiguousRows(0));
        assertEquals(1, many.contiguousRows(13));
        assertEquals(1, many.contiguousRows(49), "the last chunk holds 50 - 49 = 1 row");
        for (int i = 0; i < 50; i++) {
            assertArrayEquals(one.row(i), many.row(i));
            assertEquals(one.get(i, 2), many.get(i, 2));
        }
        float[] block = new float[20 * 3];
        many.copyRows(5, 20, block, 0);
        assertArrayEquals(java.util.Arrays.copyOfRange(one.data(), 15, 75), block);
        int[] pick = {49, 0, 7, 6, 13};
        assertArrayEquals(one.selectRows(pick).data(), many.selectRows(pick).data());
        assertArrayEquals(one.rowNormsSquared(), many.rowNormsSquared());
        FloatMatrix unit = many.copy();
        unit.normalizeRows();
        FloatMatrix expected = one.copy();
        expected.normalizeRows();
        float[] back = new float[150];
        unit.copyRows(0, 50, back, 0);
        assertArrayEquals(expected.data(), back);
        assertArrayEquals(one.row(3), many.row(3), "copy() leaves the original alone");
        IllegalStateException e = assertThrows(IllegalStateException.class, many::data);
        assertTrue(e.getMessage().contains("8 chunks"), e.getMessage());
    }

    @Test
    void zerosGoesChunkedOnlyAboveOneArray() {
        assertTrue(!FloatMatrix.zeros(1000, 1000).chunked());
        assertEquals(1 << 20, FloatMatrix.defaultRowsPerChunk(1024));
        assertEquals(1396736, FloatMatrix.defaultRowsPerChunk(768), "2^30 / 768 rounded down to 4096 rows");
    }
}
