package dev.strata.io;

import dev.strata.StrataException;
import dev.strata.vector.FloatMatrix;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * Reads .fvecs (the TEXMEX/ANN-benchmark format): each vector is a little-endian int32 dimension
 * followed by that many little-endian float32 values. The format has no header, so the first
 * record's dimension fixes the record size and every later record must repeat it.
 */
public final class FvecsReader {
    private FvecsReader() {}

    public static FloatMatrix read(Path file) {
        try (FileChannel ch = ChannelReads.open(file)) {
            long size = ch.size();
            if (size == 0) {
                throw new StrataException(file + ": the file is empty; expected .fvecs vectors");
            }
            if (size < Integer.BYTES) {
                throw new StrataException(file + ": " + size + " bytes is too short for a .fvecs record (truncated?)");
            }
            ByteBuffer first = ByteBuffer.allocate(Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            ChannelReads.readFully(ch, first, 0);
            int dim = first.getInt(0);
            long recordBytes = Integer.BYTES + (long) dim * Float.BYTES;
            if (dim <= 0 || recordBytes > size) {
                throw new StrataException(
                        file + ": the first vector claims dimension " + dim + ", which does not fit a " + size
                                + "-byte file; expected little-endian .fvecs (int32 dim, then dim float32 values)");
            }
            long rows = size / recordBytes;
            if (recordBytes > Integer.MAX_VALUE - 8 || rows > (Integer.MAX_VALUE - 8) / dim) {
                throw new StrataException(file + ": " + rows + " vectors of dimension " + dim
                        + " are more than 2^31 floats, too many for one matrix; split the file");
            }
            float[] data = new float[(int) (rows * dim)];
            readRecords(ch, file, dim, (int) rows, data);
            checkTail(ch, file, dim, rows * recordBytes, size);
            return new FloatMatrix(data, (int) rows, dim);
        } catch (IOException e) {
            throw ChannelReads.failed(file, e);
        }
    }

    /** Copies whole records chunk by chunk, checking each record's dimension as it goes. */
    private static void readRecords(FileChannel ch, Path file, int dim, int rows, float[] data) throws IOException {
        int recordBytes = Integer.BYTES + dim * Float.BYTES;
        ByteBuffer buf = recordBytes <= ChannelReads.CHUNK_BYTES
                ? ChannelReads.chunk()
                : ByteBuffer.allocateDirect(recordBytes).order(ByteOrder.LITTLE_ENDIAN);
        int perChunk = buf.capacity() / recordBytes;
        int row = 0;
        long at = 0;
        while (row < rows) {
            int n = Math.min(rows - row, perChunk);
            ChannelReads.load(ch, buf, at, n * recordBytes, file);
            for (int r = 0; r < n; r++) {
                int base = r * recordBytes;
                int d = buf.getInt(base);
                if (d != dim) {
                    throw inconsistent(file, row + r, d, dim);
                }
                buf.position(base + Integer.BYTES);
                buf.asFloatBuffer().get(data, (row + r) * dim, dim);
            }
            row += n;
            at += (long) n * recordBytes;
        }
    }

    /** Leftover bytes after the last whole record: another dimension, or a record cut short. */
    private static void checkTail(FileChannel ch, Path file, int dim, long wholeBytes, long size) throws IOException {
        long tail = size - wholeBytes;
        if (tail == 0) {
            return;
        }
        if (tail >= Integer.BYTES) {
            ByteBuffer b = ByteBuffer.allocate(Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            ChannelReads.readFully(ch, b, wholeBytes);
            int d = b.getInt(0);
            if (d != dim) {
                throw inconsistent(file, wholeBytes / (Integer.BYTES + (long) dim * Float.BYTES), d, dim);
            }
        }
        throw new StrataException(file + ": the last vector is cut short (" + tail + " of "
                + (Integer.BYTES + (long) dim * Float.BYTES) + " bytes; truncated?); copy or write the file again");
    }

    private static StrataException inconsistent(Path file, long index, int d, int dim) {
        return new StrataException(file + ": vector " + index + " has dimension " + d + " but the first has " + dim
                + "; all vectors of a .fvecs file must have the same dimension");
    }
}
