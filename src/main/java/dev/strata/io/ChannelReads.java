package dev.strata.io;

import dev.strata.StrataException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Bulk little-endian reads from a file channel through one reusable direct buffer, so a few
 * hundred megabytes of floats load at disk (or page-cache) speed instead of element by element.
 */
final class ChannelReads {
    /** Large enough to amortise the system calls, small enough to stay out of the way. */
    static final int CHUNK_BYTES = 1 << 20;

    private ChannelReads() {
    }

    /** Opens {@code file} for reading, turning the usual mistakes into one-line errors. */
    static FileChannel open(Path file) {
        if (Files.isDirectory(file)) {
            throw new StrataException(file + " is a directory; expected a .npy or .fvecs file");
        }
        try {
            return FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new StrataException(file + ": no such file; check the path");
        } catch (AccessDeniedException e) {
            throw new StrataException(file + ": permission denied; make the file readable");
        } catch (IOException e) {
            throw failed(file, e);
        }
    }

    static StrataException failed(Path file, IOException e) {
        return new StrataException(file + ": cannot read (" + e.getMessage() + "); check the file and the disk", e);
    }

    /** Reads from {@code position} until {@code buf} is full or the file ends. */
    static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long at = position;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, at);
            if (n < 0) {
                return;
            }
            at += n;
        }
    }

    static ByteBuffer chunk() {
        return ByteBuffer.allocateDirect(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Fills {@code buf} (cleared first) with up to {@code bytes} bytes from {@code position} and
     * flips it; a short read means the file shrank after its size was checked.
     */
    static void load(FileChannel ch, ByteBuffer buf, long position, int bytes, Path file) throws IOException {
        buf.clear().limit(bytes);
        readFully(ch, buf, position);
        if (buf.hasRemaining()) {
            throw new StrataException(file + ": the file ended early while reading (changed on disk?); read it again");
        }
        buf.flip();
    }

    static void readFloats(FileChannel ch, long position, float[] dst, Path file) throws IOException {
        ByteBuffer buf = chunk();
        int done = 0;
        long at = position;
        while (done < dst.length) {
            int n = Math.min(dst.length - done, CHUNK_BYTES / Float.BYTES);
            load(ch, buf, at, n * Float.BYTES, file);
            buf.asFloatBuffer().get(dst, done, n);
            done += n;
            at += (long) n * Float.BYTES;
        }
    }

    static void readDoublesAsFloats(FileChannel ch, long position, float[] dst, Path file) throws IOException {
        ByteBuffer buf = chunk();
        double[] tmp = new double[CHUNK_BYTES / Double.BYTES];
        int done = 0;
        long at = position;
        while (done < dst.length) {
            int n = Math.min(dst.length - done, tmp.length);
            load(ch, buf, at, n * Double.BYTES, file);
            buf.asDoubleBuffer().get(tmp, 0, n);
            for (int i = 0; i < n; i++) {
                dst[done + i] = (float) tmp[i];
            }
            done += n;
            at += (long) n * Double.BYTES;
        }
    }

    static void readInts(FileChannel ch, long position, int[] dst, Path file) throws IOException {
        ByteBuffer buf = chunk();
        int done = 0;
        long at = position;
        while (done < dst.length) {
            int n = Math.min(dst.length - done, CHUNK_BYTES / Integer.BYTES);
            load(ch, buf, at, n * Integer.BYTES, file);
            buf.asIntBuffer().get(dst, done, n);
            done += n;
            at += (long) n * Integer.BYTES;
        }
    }

    /** Reads int64 values that must each fit an int32 (labels, ids); refuses the first that does not. */
    static void readLongsAsInts(FileChannel ch, long position, int[] dst, Path file) throws IOException {
        ByteBuffer buf = chunk();
        long[] tmp = new long[CHUNK_BYTES / Long.BYTES];
        int done = 0;
        long at = position;
        while (done < dst.length) {
            int n = Math.min(dst.length - done, tmp.length);
            load(ch, buf, at, n * Long.BYTES, file);
            buf.asLongBuffer().get(tmp, 0, n);
            for (int i = 0; i < n; i++) {
                long v = tmp[i];
                if (v != (int) v) {
                    throw new StrataException(file + ": value " + v + " at index " + (done + i)
                            + " does not fit in int32; labels must lie in [-2^31, 2^31)");
                }
                dst[done + i] = (int) v;
            }
            done += n;
            at += (long) n * Long.BYTES;
        }
    }
}
