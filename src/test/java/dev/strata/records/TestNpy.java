package dev.strata.records;

import dev.strata.vector.FloatMatrix;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A throwaway .npy reader and writer for tests only (little-endian float32 and int32/int64,
 * C order): the real reader, dev.strata.io.EmbeddingFiles, lives on another branch.
 */
public final class TestNpy {
    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([^']+)'");
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

    private TestNpy() {
    }

    public static void writeF32(Path file, FloatMatrix m) {
        ByteBuffer body = ByteBuffer.allocate(m.data().length * 4).order(ByteOrder.LITTLE_ENDIAN);
        body.asFloatBuffer().put(m.data());
        write(file, "<f4", "(" + m.rows() + ", " + m.dim() + ")", body.array());
    }

    public static void writeI32(Path file, int[] v) {
        ByteBuffer body = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        body.asIntBuffer().put(v);
        write(file, "<i4", "(" + v.length + ",)", body.array());
    }

    public static FloatMatrix readF32(Path file) {
        Parsed p = parse(file);
        if (!p.descr.equals("<f4") || p.shape.length != 2) {
            throw new IllegalArgumentException(file + ": expected 2-d <f4, got " + p.descr);
        }
        float[] data = new float[p.shape[0] * p.shape[1]];
        p.body.asFloatBuffer().get(data);
        return new FloatMatrix(data, p.shape[0], p.shape[1]);
    }

    public static int[] readLabels(Path file) {
        Parsed p = parse(file);
        int[] out = new int[p.shape[0]];
        if (p.descr.equals("<i4")) {
            p.body.asIntBuffer().get(out);
        } else if (p.descr.equals("<i8")) {
            for (int i = 0; i < out.length; i++) {
                out[i] = Math.toIntExact(p.body.getLong(i * 8));
            }
        } else {
            throw new IllegalArgumentException(file + ": expected <i4 or <i8, got " + p.descr);
        }
        return out;
    }

    private record Parsed(String descr, int[] shape, ByteBuffer body) {
    }

    private static Parsed parse(Path file) {
        try {
            byte[] all = Files.readAllBytes(file);
            ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
            int major = all[6];
            int headerLen = major == 1 ? Short.toUnsignedInt(b.getShort(8)) : b.getInt(8);
            int start = major == 1 ? 10 : 12;
            String header = new String(all, start, headerLen, StandardCharsets.US_ASCII);
            Matcher d = DESCR.matcher(header);
            Matcher s = SHAPE.matcher(header);
            if (!d.find() || !s.find()) {
                throw new IllegalArgumentException(file + ": bad npy header " + header);
            }
            String[] dims = s.group(1).split(",");
            int n = 0;
            int[] shape = new int[dims.length];
            for (String dim : dims) {
                if (!dim.isBlank()) {
                    shape[n++] = Integer.parseInt(dim.trim());
                }
            }
            ByteBuffer body = ByteBuffer.wrap(all, start + headerLen, all.length - start - headerLen)
                    .slice().order(ByteOrder.LITTLE_ENDIAN);
            return new Parsed(d.group(1), java.util.Arrays.copyOf(shape, n), body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, String descr, String shape, byte[] body) {
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
        int unpadded = 10 + dict.length() + 1;
        int pad = (64 - unpadded % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + body.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        b.putShort((short) header.length()).put(header.getBytes(StandardCharsets.US_ASCII)).put(body);
        try {
            Files.write(file, b.array());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
