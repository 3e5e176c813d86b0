package dev.strata.io;

import dev.strata.StrataException;
import dev.strata.vector.FloatMatrix;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * Reads the two .npy shapes Strata consumes: embeddings, a 2-D C-order array of little-endian
 * float32 or float64 (float64 is narrowed to float32 on the way in), and labels, a 1-D array of
 * little-endian int32 or int64. Everything else is refused with a message that says what the file
 * holds and how to re-save it, because a silent reinterpretation of the bytes would curate garbage.
 */
public final class NpyReader {
    private NpyReader() {}

    /** Reads a (rows, dim) array of '<f4' or '<f8' as a float32 matrix. */
    public static FloatMatrix read(Path file) {
        try (FileChannel ch = ChannelReads.open(file)) {
            NpyHeader h = NpyHeader.read(ch, file);
            if (!h.descr().equals("<f4") && !h.descr().equals("<f8")) {
                throw new StrataException(file + ": " + refuseDtype(h.descr(), "float32 ('<f4') or float64 ('<f8')")
                        + "; save embeddings with arr.astype('<f4')");
            }
            if (h.shape().length != 2) {
                String hint = h.shape().length == 1 ? "; for one vector save arr.reshape(1, -1)" : "";
                throw new StrataException(file + ": array is " + h.shape().length + "-D " + h.shapeText()
                        + "; expected a 2-D (rows, dim) array" + hint);
            }
            if (h.fortranOrder()) {
                throw new StrataException(file + ": fortran_order=True (column-major) is not supported;"
                        + " save with np.save(path, np.ascontiguousarray(arr))");
            }
            long rows = h.shape()[0];
            long dim = h.shape()[1];
            if (dim == 0) {
                throw new StrataException(file + ": array " + h.shapeText() + " has no columns; expected dim >= 1");
            }
            if (rows > (Integer.MAX_VALUE - 8) / dim) {
                throw new StrataException(file + ": array " + h.shapeText()
                        + " holds more than 2^31 floats, too many for one matrix; split it into several files");
            }
            int itemSize = h.descr().equals("<f4") ? Float.BYTES : Double.BYTES;
            checkSize(ch, h, itemSize, file);
            float[] data = new float[(int) (rows * dim)];
            if (itemSize == Float.BYTES) {
                ChannelReads.readFloats(ch, h.dataOffset(), data, file);
            } else {
                ChannelReads.readDoublesAsFloats(ch, h.dataOffset(), data, file);
            }
            return new FloatMatrix(data, (int) rows, (int) dim);
        } catch (IOException e) {
            throw ChannelReads.failed(file, e);
        }
    }

    /** Reads a 1-D array of '<i4' or '<i8' (values must fit int32), e.g. a labels file. */
    public static int[] readLabels(Path file) {
        try (FileChannel ch = ChannelReads.open(file)) {
            NpyHeader h = NpyHeader.read(ch, file);
            if (!h.descr().equals("<i4") && !h.descr().equals("<i8")) {
                throw new StrataException(file + ": " + refuseDtype(h.descr(), "int32 ('<i4') or int64 ('<i8')")
                        + "; save labels with arr.astype('<i4')");
            }
            if (h.shape().length != 1) {
                throw new StrataException(file + ": array is " + h.shape().length + "-D " + h.shapeText()
                        + "; expected a 1-D (rows,) array of labels; flatten it with arr.reshape(-1)");
            }
            long n = h.shape()[0];
            if (n > Integer.MAX_VALUE - 8) {
                throw new StrataException(file + ": " + n + " labels are too many for one array; split the file");
            }
            // a 1-D array is the same bytes in C and Fortran order, so fortran_order is irrelevant here
            int itemSize = h.descr().equals("<i4") ? Integer.BYTES : Long.BYTES;
            checkSize(ch, h, itemSize, file);
            int[] out = new int[(int) n];
            if (itemSize == Integer.BYTES) {
                ChannelReads.readInts(ch, h.dataOffset(), out, file);
            } else {
                ChannelReads.readLongsAsInts(ch, h.dataOffset(), out, file);
            }
            return out;
        } catch (IOException e) {
            throw ChannelReads.failed(file, e);
        }
    }

    /** Refuses a file whose data is shorter than the header promises; trailing bytes are ignored, as numpy does. */
    private static void checkSize(FileChannel ch, NpyHeader h, int itemSize, Path file) throws IOException {
        long promised = h.elementCount() * itemSize;
        long held = Math.max(0, ch.size() - h.dataOffset());
        if (held < promised) {
            throw new StrataException(file + ": holds " + held + " bytes of data, header promises " + promised + " for "
                    + h.shapeText() + " (truncated?); copy or save the file again");
        }
    }

    /** "dtype '>f4' (big-endian float32) is not supported; expected ..." without the file prefix. */
    static String refuseDtype(String descr, String expected) {
        return "dtype '" + descr + "' (" + describe(descr) + ") is not supported; expected little-endian " + expected;
    }

    /** A human name for a numpy type string such as '<i8', '>f4' or '|u1'. */
    static String describe(String descr) {
        if (descr.startsWith("[")) {
            return "a structured dtype";
        }
        if (descr.length() < 2) {
            return "unknown";
        }
        char order = descr.charAt(0);
        String rest = "<>|=".indexOf(order) >= 0 ? descr.substring(1) : descr;
        String name = typeName(rest);
        if (order == '>') {
            return "big-endian " + name;
        }
        if (order == '=') {
            return "native-order " + name;
        }
        return name;
    }

    private static String typeName(String t) {
        if (t.isEmpty()) {
            return "unknown";
        }
        String bytes = t.substring(1);
        String bits;
        try {
            bits = Integer.toString(Integer.parseInt(bytes) * 8);
        } catch (NumberFormatException e) {
            bits = "";
        }
        switch (t.charAt(0)) {
            case 'f':
                return "float" + bits;
            case 'i':
                return "int" + bits;
            case 'u':
                return "uint" + bits;
            case 'b':
                return "bool";
            case 'c':
                return "complex" + bits;
            case 'O':
                return "Python objects";
            case 'U':
                return "unicode strings";
            case 'S':
                return "byte strings";
            case 'M':
                return "datetime";
            case 'm':
                return "timedelta";
            default:
                return "unknown type";
        }
    }
}
