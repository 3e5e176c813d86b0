package dev.strata.io;

import dev.strata.StrataException;
import dev.strata.vector.FloatMatrix;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes .npz files that numpy.load opens: a zip archive of one .npy file per named array, stored
 * uncompressed like numpy.savez does (so each array's bytes are its .npy bytes). Each array is
 * encoded whole in memory before it is stored (a STORED zip entry needs its size and CRC up front),
 * which suits the arrays of a model; the file appears under its name only once complete.
 */
public final class NpzWriter implements AutoCloseable {
    private final Path file;
    private final Path tmp;
    private final ZipOutputStream zip;
    private final Set<String> names = new HashSet<>();
    private boolean failed;

    private NpzWriter(Path file, Path tmp, ZipOutputStream zip) {
        this.file = file;
        this.tmp = tmp;
        this.zip = zip;
    }

    /** Opens {@code file} (replaced when the writer closes); its folder must exist. */
    public static NpzWriter create(Path file) {
        Path abs = file.toAbsolutePath();
        if (abs.getParent() != null && !Files.isDirectory(abs.getParent())) {
            throw new StrataException(
                    file + ": cannot create it, its directory does not exist; create the directory first");
        }
        Path tmp = abs.resolveSibling(abs.getFileName() + ".tmp");
        try {
            OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16);
            return new NpzWriter(file, tmp, new ZipOutputStream(out));
        } catch (IOException e) {
            throw NpyWriter.failed(file, e);
        }
    }

    /** Adds {@code name}.npy: a '<f4' array of shape (rows, dim). */
    public NpzWriter float32(String name, FloatMatrix m) {
        byte[] npy = npy("<f4", "(" + m.rows() + ", " + m.dim() + ")", (long) m.rows() * m.dim() * Float.BYTES);
        data(npy).asFloatBuffer().put(m.data(), 0, m.rows() * m.dim());
        return entry(name, npy);
    }

    /** Adds {@code name}.npy: a '<i8' array of shape (n,). */
    public NpzWriter int64(String name, long[] values) {
        byte[] npy = npy("<i8", "(" + values.length + ",)", (long) values.length * Long.BYTES);
        data(npy).asLongBuffer().put(values);
        return entry(name, npy);
    }

    /** Adds {@code name}.npy: a '<i8' array of shape (n,), widened from int. */
    public NpzWriter int64(String name, int[] values) {
        long[] wide = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            wide[i] = values[i];
        }
        return int64(name, wide);
    }

    /** The bytes of a whole .npy file: the header written, the data still zero. */
    private byte[] npy(String descr, String shape, long dataBytes) {
        byte[] header = NpyWriter.header(descr, shape);
        long total = header.length + dataBytes;
        if (total > Integer.MAX_VALUE - 64) {
            throw new StrataException(file + ": one array would take " + total + " bytes, more than a .npz entry is "
                    + "written from (2 GiB); export a model with fewer clusters");
        }
        byte[] npy = new byte[(int) total];
        System.arraycopy(header, 0, npy, 0, header.length);
        return npy;
    }

    /** A little-endian view of the data part of {@code npy}, after the header. */
    private static ByteBuffer data(byte[] npy) {
        int headerLength = NpyWriter.headerLength(npy);
        return ByteBuffer.wrap(npy, headerLength, npy.length - headerLength)
                .slice()
                .order(ByteOrder.LITTLE_ENDIAN);
    }

    private NpzWriter entry(String name, byte[] npy) {
        if (!names.add(name)) {
            throw new IllegalArgumentException("array " + name + " written twice to " + file);
        }
        ZipEntry e = new ZipEntry(name + ".npy");
        e.setMethod(ZipEntry.STORED);
        e.setSize(npy.length);
        e.setCompressedSize(npy.length);
        CRC32 crc = new CRC32();
        crc.update(npy);
        e.setCrc(crc.getValue());
        try {
            zip.putNextEntry(e);
            zip.write(npy);
            zip.closeEntry();
        } catch (IOException ex) {
            failed = true;
            throw NpyWriter.failed(file, ex);
        }
        return this;
    }

    /** Finishes the archive and moves it over {@code file}; after a failed write, removes it. */
    @Override
    public void close() {
        try {
            zip.close();
            if (!failed) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            throw NpyWriter.failed(file, e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the write error, if any, is the one worth reporting
            }
        }
    }
}
