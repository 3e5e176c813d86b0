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

    private ChannelReads() {}

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

    /** What one loaded chunk becomes: {@code n} elements from {@code buf}, destined for index {@code done} on. */
    @FunctionalInterface
    interface ChunkSink {
        void take(ByteBuffer buf, int done, int n);
    }

    /**
     * The one read loop behind every typed read: {@code count} elements of {@code bytesPer} bytes
     * from {@code position}, loaded a chunk at a time and handed to {@code sink} to copy or convert.
     */
    static void readElements(FileChannel ch, long position, int count, int bytesPer, Path file, ChunkSink sink)
            throws IOException {
        ByteBuffer buf = chunk();
        int perChunk = CHUNK_BYTES / bytesPer;
        int done = 0;
        long at = position;
        while (done < count) {
            int n = Math.min(count - done, perChunk);
            load(ch, buf, at, n * bytesPer, file);
            sink.take(buf, done, n);
            done += n;
            at += (long) n * bytesPer;
        }
    }

    static void readFloats(FileChannel ch, long position, float[] dst, Path file) throws IOException {
        readElements(
                ch,
                position,
                dst.length,
                Float.BYTES,
                file,
                (buf, done, n) -> buf.asFloatBuffer().get(dst, done, n));
    }

    static void readDoublesAsFloats(FileChannel ch, long position, float[] dst, Path file) throws IOException {
        double[] tmp = new double[CHUNK_BYTES / Double.BYTES];
        readElements(ch, position, dst.length, Double.BYTES, file, (buf, done, n) -> {
            buf.asDoubleBuffer().get(tmp, 0, n);
            for (int i = 0; i < n; i++) {
                dst[done + i] = (float) tmp[i];
            }
        });
    }

    static void readInts(FileChannel ch, long position, int[] dst, Path file) throws IOException {
        readElements(
                ch,
                position,
                dst.length,
                Integer.BYTES,
                file,
                (buf, done, n) -> buf.asIntBuffer().get(dst, done, n));
    }

    /** Reads int64 values that must each fit an int32 (labels, ids); refuses the first that does not. */
    static void readLongsAsInts(FileChannel ch, long position, int[] dst, Path file) throws IOException {
        long[] tmp = new long[CHUNK_BYTES / Long.BYTES];
        readElements(ch, position, dst.length, Long.BYTES, file, (buf, done, n) -> {
            buf.asLongBuffer().get(tmp, 0, n);
            for (int i = 0; i < n; i++) {
                long v = tmp[i];
                if (v != (int) v) {
                    throw new StrataException(file + ": value " + v + " at index " + (done + i)
                            + " does not fit in int32; labels must lie in [-2^31, 2^31)");
                }
                dst[done + i] = (int) v;
            }
        });
    }
}
