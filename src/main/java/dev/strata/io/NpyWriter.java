package dev.strata.io;

import dev.strata.StrataException;
import dev.strata.vector.FloatMatrix;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes .npy files that numpy.load reads: float32 (rows, dim) matrices and int32 label vectors,
 * format version 1.0, header padded with spaces so the data starts on a 64-byte boundary (what
 * numpy itself writes, and what lets readers memory-map the data aligned).
 */
public final class NpyWriter {
    static final int ALIGN = 64;

    private NpyWriter() {}

    /** Writes {@code m} as a '<f4' array of shape (rows, dim). */
    public static void write(Path file, FloatMatrix m) {
        try (Float32Rows out = openFloat32(file, m.rows(), m.dim())) {
            out.write(m.data(), 0, m.rows());
        }
    }

    /** Writes {@code labels} as a '<i4' array of shape (n,). */
    public static void writeLabels(Path file, int[] labels) {
        try (FileChannel ch = create(file)) {
            writeAll(ch, ByteBuffer.wrap(header("<i4", "(" + labels.length + ",)")));
            ByteBuffer buf = ChannelReads.chunk();
            int done = 0;
            while (done < labels.length) {
                int n = Math.min(labels.length - done, buf.capacity() / Integer.BYTES);
                buf.clear();
                buf.asIntBuffer().put(labels, done, n);
                buf.limit(n * Integer.BYTES);
                writeAll(ch, buf);
                done += n;
            }
        } catch (IOException e) {
            throw failed(file, e);
        }
    }

    /**
     * Opens a '<f4' (rows, dim) file to be filled block by block, so data larger than the heap
     * (or generated on the fly) never has to exist as one matrix.
     */
    public static Float32Rows openFloat32(Path file, int rows, int dim) {
        if (rows < 0 || dim <= 0) {
            throw new IllegalArgumentException("need rows >= 0 and dim > 0, got " + rows + "x" + dim);
        }
        FileChannel ch = create(file);
        try {
            writeAll(ch, ByteBuffer.wrap(header("<f4", "(" + rows + ", " + dim + ")")));
        } catch (IOException e) {
            closeQuietly(ch);
            throw failed(file, e);
        }
        return new Float32Rows(file, ch, rows, dim);
    }

    /**
     * Magic, version 1.0, little-endian uint16 header length, then the dict, padded with spaces
     * and ended by a newline so that the total header size is a multiple of {@link #ALIGN}.
     */
    static byte[] header(String descr, String shape) {
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
        int prefix = NpyHeader.MAGIC.length + 2 + 2;
        int unpadded = prefix + dict.length() + 1;
        int total = (unpadded + ALIGN - 1) / ALIGN * ALIGN;
        StringBuilder sb = new StringBuilder(dict);
        while (prefix + sb.length() + 1 < total) {
            sb.append(' ');
        }
        sb.append('\n');
        byte[] text = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer out = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        out.put(NpyHeader.MAGIC)
                .put((byte) 1)
                .put((byte) 0)
                .putShort((short) text.length)
                .put(text);
        return out.array();
    }

    /** Bytes before the data of a version 1.0 file written by {@link #header}: magic, version, length, dict. */
    static int headerLength(byte[] npy) {
        int dictLength = (npy[8] & 0xff) | (npy[9] & 0xff) << 8;
        return NpyHeader.MAGIC.length + 2 + 2 + dictLength;
    }

    static FileChannel create(Path file) {
        try {
            return FileChannel.open(
                    file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        } catch (NoSuchFileException e) {
            throw new StrataException(
                    file + ": cannot create it, its directory does not exist; create the directory first");
        } catch (AccessDeniedException e) {
            throw new StrataException(file + ": permission denied; choose a writable location");
        } catch (IOException e) {
            throw failed(file, e);
        }
    }

    static StrataException failed(Path file, IOException e) {
        return new StrataException(
                file + ": cannot write (" + e.getMessage() + "); check free disk space and permissions", e);
    }

    static void writeAll(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // the write error that brought us here is the one worth reporting
        }
    }

    /** An open float32 .npy file that must receive exactly the rows its header promised. */
    public static final class Float32Rows implements AutoCloseable {
        private final Path file;
        private final FileChannel ch;
        private final int rows;
        private final int dim;
        private final ByteBuffer buf = ChannelReads.chunk();
        private long written;

        private Float32Rows(Path file, FileChannel ch, int rows, int dim) {
            this.file = file;
            this.ch = ch;
            this.rows = rows;
            this.dim = dim;
        }

        /** Appends {@code count} rows stored row-major in {@code data} from row {@code fromRow}. */
        public void write(float[] data, int fromRow, int count) {
            if (written + count > rows) {
                throw new IllegalStateException(
                        file + ": writing " + (written + count) + " rows, header promised " + rows);
            }
            long floats = (long) count * dim;
            int off = fromRow * dim;
            try {
                int perChunk = buf.capacity() / Float.BYTES;
                for (long done = 0; done < floats; ) {
                    int n = (int) Math.min(floats - done, perChunk);
                    buf.clear();
                    buf.asFloatBuffer().put(data, off + (int) done, n);
                    buf.limit(n * Float.BYTES);
                    writeAll(ch, buf);
                    done += n;
                }
            } catch (IOException e) {
                throw failed(file, e);
            }
            written += count;
        }

        /** Closes the file; a short file would be unreadable, so missing rows are a programming error. */
        @Override
        public void close() {
            try {
                ch.close();
            } catch (IOException e) {
                throw failed(file, e);
            }
            if (written != rows) {
                throw new IllegalStateException(file + ": closed after " + written + " of " + rows + " rows");
            }
        }
    }
}
