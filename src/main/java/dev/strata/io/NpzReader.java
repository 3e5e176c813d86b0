package dev.strata.io;

import dev.strata.StrataException;
import dev.strata.vector.FloatMatrix;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads the arrays of a .npz file (numpy.savez or {@link NpzWriter}) by name: 2-D '<f4' matrices
 * and 1-D '<i8' vectors, the two kinds a model export holds. Entries may be stored or deflated
 * (numpy.savez_compressed); each is read whole into memory.
 */
public final class NpzReader implements AutoCloseable {
    private final Path file;
    private final ZipFile zip;

    private NpzReader(Path file, ZipFile zip) {
        this.file = file;
        this.zip = zip;
    }

    public static NpzReader open(Path file) {
        try {
            return new NpzReader(file, new ZipFile(file.toFile()));
        } catch (java.nio.file.NoSuchFileException | java.io.FileNotFoundException e) {
            throw new StrataException(file + ": no such file");
        } catch (ZipException e) {
            throw new StrataException(file
                    + ": not a .npz file (not a zip archive); write it with numpy.savez or 'strata inspect --export'");
        } catch (IOException e) {
            throw new StrataException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    /** Names of the arrays, without the .npy suffix. */
    public Set<String> names() {
        Set<String> out = new TreeSet<>();
        for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements(); ) {
            String n = en.nextElement().getName();
            if (n.endsWith(".npy")) {
                out.add(n.substring(0, n.length() - 4));
            }
        }
        return out;
    }

    /** The '<f4' array {@code name} of shape (rows, dim). */
    public FloatMatrix float32(String name) {
        Array a = array(name);
        a.require("<f4", 2);
        float[] data = new float[Math.toIntExact(a.header.elementCount())];
        a.data.asFloatBuffer().get(data);
        return new FloatMatrix(data, (int) a.header.shape()[0], (int) a.header.shape()[1]);
    }

    /** The '<i8' array {@code name} of shape (n,). */
    public long[] int64(String name) {
        Array a = array(name);
        a.require("<i8", 1);
        long[] out = new long[Math.toIntExact(a.header.elementCount())];
        a.data.asLongBuffer().get(out);
        return out;
    }

    private Array array(String name) {
        ZipEntry e = zip.getEntry(name + ".npy");
        if (e == null) {
            throw new StrataException(file + ": no array named " + name + "; it holds " + names());
        }
        byte[] bytes;
        try (InputStream in = zip.getInputStream(e)) {
            bytes = in.readAllBytes();
        } catch (IOException ex) {
            throw new StrataException(file + ": cannot read array " + name + " (" + ex.getMessage() + ")", ex);
        }
        Path where = Path.of(file + ":" + name + ".npy");
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 10 || buf.get(0) != NpyHeader.MAGIC[0] || buf.get(1) != 'N') {
            throw new StrataException(where + ": not a .npy entry (no \\x93NUMPY magic)");
        }
        int major = bytes[6];
        long dictLength = major == 1 ? buf.getShort(8) & 0xffff : buf.getInt(8) & 0xffffffffL;
        int start = major == 1 ? 10 : 12;
        if (start + dictLength > bytes.length) {
            throw new StrataException(where + ": the .npy header is cut short");
        }
        String dict = new String(bytes, start, (int) dictLength, StandardCharsets.ISO_8859_1);
        NpyHeader header = NpyHeader.parse(dict, start + dictLength, where);
        ByteBuffer data = ByteBuffer.wrap(bytes, (int) header.dataOffset(), bytes.length - (int) header.dataOffset())
                .slice()
                .order(ByteOrder.LITTLE_ENDIAN);
        return new Array(where, header, data);
    }

    private record Array(Path where, NpyHeader header, ByteBuffer data) {
        void require(String descr, int dims) {
            if (!header.descr().equals(descr) || header.shape().length != dims || header.fortranOrder()) {
                throw new StrataException(where + ": expected a C-ordered " + descr + " array of " + dims
                        + " dimensions, found " + header.descr() + " of shape " + header.shapeText());
            }
            long bytes = header.elementCount() * (descr.endsWith("8") ? 8 : 4);
            if (data.remaining() < bytes) {
                throw new StrataException(where + ": holds " + data.remaining() + " data bytes, its shape "
                        + header.shapeText() + " needs " + bytes);
            }
        }
    }

    @Override
    public void close() {
        try {
            zip.close();
        } catch (IOException ignored) {
            // read-only: nothing is lost
        }
    }
}
