package dev.strata.bootstrap.flink;

import dev.strata.StrataException;
import dev.strata.io.NpyHeader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * A `.npy` (2-D, C order, float32 or float64) or `.fvecs` file on a path every TaskManager sees
 * (a shared volume): rows are read by seeking, so a task reads only its slice and never the
 * whole file. Object stores (s3://, hdfs://) need the sharded reader of issue 8 item 1.
 */
final class LocalPoolFile implements PoolReader {
    private final Path file;
    private final FileChannel ch;
    private final long rows;
    private final int dim;
    private final long dataOffset;
    /** Bytes per row on disk: 4 or 8 per value (.npy), 4 + 4 dim (.fvecs, with its dimension prefix). */
    private final int rowBytes;
    private final boolean float64;
    private final boolean fvecs;
    private ByteBuffer buf;

    private LocalPoolFile(Path file, FileChannel ch, long rows, int dim, long dataOffset, int rowBytes, boolean float64,
            boolean fvecs) {
        this.file = file;
        this.ch = ch;
        this.rows = rows;
        this.dim = dim;
        this.dataOffset = dataOffset;
        this.rowBytes = rowBytes;
        this.float64 = float64;
        this.fvecs = fvecs;
    }

    static LocalPoolFile open(String path) {
        String local = path.startsWith("file://") ? path.substring("file://".length()) : path;
        if (local.contains("://")) {
            throw new StrataException(path + ": the cluster bootstrap reads files on a volume every TaskManager mounts; "
                    + "copy the pool there (object stores come with the sharded reader, issue 8 item 1)");
        }
        Path file = Path.of(local);
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new StrataException(path + ": no such file; every TaskManager must see the pool at this path");
        } catch (IOException e) {
            throw new StrataException(path + ": cannot open: " + e.getMessage());
        }
        try {
            String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
            if (name.endsWith(".npy")) {
                NpyHeader h = NpyHeader.read(ch, file);
                if (!h.descr().equals("<f4") && !h.descr().equals("<f8") || h.shape().length != 2 || h.fortranOrder()
                        || h.shape()[1] < 1) {
                    throw new StrataException(path + ": expected a 2-D C-order float32 or float64 array, found "
                            + h.descr() + " " + h.shapeText() + "; save it with np.save(path, np.ascontiguousarray(arr, '<f4'))");
                }
                int item = h.descr().equals("<f4") ? 4 : 8;
                int d = Math.toIntExact(h.shape()[1]);
                LocalPoolFile f = new LocalPoolFile(file, ch, h.shape()[0], d, h.dataOffset(), d * item, item == 8, false);
                f.checkLength(path);
                return f;
            }
            if (name.endsWith(".fvecs")) {
                ByteBuffer first = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
                ch.read(first, 0);
                int d = first.getInt(0);
                if (ch.size() < 4 || d <= 0 || 4 + 4L * d > ch.size()) {
                    throw new StrataException(path + ": not a little-endian .fvecs file (first dimension " + d + ")");
                }
                int rowBytes = 4 + 4 * d;
                return new LocalPoolFile(file, ch, ch.size() / rowBytes, d, 0, rowBytes, false, true);
            }
            throw new StrataException(path + ": unknown file type; expected a .npy or .fvecs file");
        } catch (IOException e) {
            close(ch);
            throw new StrataException(path + ": cannot read: " + e.getMessage());
        } catch (RuntimeException e) {
            close(ch);
            throw e;
        }
    }

    private void checkLength(String path) throws IOException {
        long need = dataOffset + rows * rowBytes;
        if (ch.size() < need) {
            throw new StrataException(path + ": holds " + ch.size() + " bytes, its header promises " + need
                    + " (truncated?); copy or save the file again");
        }
    }

    @Override
    public long rows() {
        return rows;
    }

    @Override
    public int dim() {
        return dim;
    }

    @Override
    public void read(long first, int count, float[] dst) {
        if (first < 0 || count < 0 || first + count > rows) {
            throw new IllegalArgumentException("rows " + first + ".." + (first + count) + " outside 0.." + rows);
        }
        int bytes = Math.multiplyExact(count, rowBytes);
        if (buf == null || buf.capacity() < bytes) {
            buf = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
        }
        buf.clear().limit(bytes);
        try {
            long at = dataOffset + first * rowBytes;
            while (buf.hasRemaining()) {
                if (ch.read(buf, at + buf.position()) < 0) {
                    throw new StrataException(file + ": ends before row " + (first + count) + " (truncated?)");
                }
            }
        } catch (IOException e) {
            throw new StrataException(file + ": cannot read rows " + first + ".." + (first + count) + ": " + e.getMessage());
        }
        buf.flip();
        for (int r = 0; r < count; r++) {
            int o = r * rowBytes;
            if (fvecs) {
                int d = buf.getInt(o);
                if (d != dim) {
                    throw new StrataException(file + ": vector " + (first + r) + " has dimension " + d + ", the first has "
                            + dim + "; every .fvecs record must have the same dimension");
                }
                o += 4;
            }
            for (int j = 0; j < dim; j++) {
                dst[r * dim + j] = float64 ? (float) buf.getDouble(o + 8 * j) : buf.getFloat(o + 4 * j);
            }
        }
    }

    @Override
    public void close() {
        close(ch);
    }

    private static void close(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            // read-only: nothing to lose
        }
    }
}
