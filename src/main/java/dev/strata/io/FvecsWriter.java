package dev.strata.io;

import dev.strata.vector.FloatMatrix;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/** Writes .fvecs: per row a little-endian int32 dimension, then the row's float32 values. */
public final class FvecsWriter {
    private FvecsWriter() {}

    public static void write(Path file, FloatMatrix m) {
        int dim = m.dim();
        int recordBytes = Integer.BYTES + dim * Float.BYTES;
        ByteBuffer buf = ByteBuffer.allocateDirect(Math.max(recordBytes, ChannelReads.CHUNK_BYTES))
                .order(ByteOrder.LITTLE_ENDIAN);
        int perChunk = buf.capacity() / recordBytes;
        float[] data = m.data();
        try (FileChannel ch = NpyWriter.create(file)) {
            for (int row = 0; row < m.rows(); ) {
                int n = Math.min(m.rows() - row, perChunk);
                buf.clear();
                for (int r = 0; r < n; r++) {
                    int base = r * recordBytes;
                    buf.putInt(base, dim);
                    buf.position(base + Integer.BYTES);
                    buf.asFloatBuffer().put(data, (row + r) * dim, dim);
                }
                buf.position(0).limit(n * recordBytes);
                NpyWriter.writeAll(ch, buf);
                row += n;
            }
        } catch (IOException e) {
            throw NpyWriter.failed(file, e);
        }
    }
}
