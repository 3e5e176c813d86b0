package dev.strata.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.StrataException;
import dev.strata.vector.FloatMatrix;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Reads and writes the model file (docs/model-format.md): magic, format version, a JSON header
 * that describes everything, the binary arrays of every level, and a SHA-256 trailer. The
 * model version shown in curated records is the first 16 hex digits of that hash, so two
 * identical models have the same version and any change gives a new one.
 */
public final class ModelFile {
    /** PNG-style magic: a high byte and CR LF catch files mangled by text-mode transfers. */
    static final byte[] MAGIC = {(byte) 0x89, 'S', 'T', 'R', 'M', '\r', '\n', 0x1A};

    public static final int FORMAT_VERSION = 1;
    private static final int HASH_BYTES = 32;
    private static final ObjectMapper JSON = new ObjectMapper();

    private ModelFile() {}

    /** Bytes staged per write or read of the arrays: the file is streamed, never held whole. */
    static final int CHUNK_BYTES = 1 << 20;

    /** Writes atomically (temp file + rename) and returns the tree with its version set. */
    public static ClusterTree write(ClusterTree tree, Path path) {
        return write(tree, path, CHUNK_BYTES);
    }

    /**
     * Streams the file: header, then every level's arrays a chunk at a time through the SHA-256,
     * then the hash. The bytes are those of a file built in one buffer, so the format (and every
     * version hash) is unchanged, but a model may now exceed 2 GiB (10M leaves at d=1024 is 40 GB).
     */
    static ClusterTree write(ClusterTree tree, Path path, int chunkBytes) {
        byte[] header = header(tree).getBytes(StandardCharsets.UTF_8);
        Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
        MessageDigest md = sha256();
        byte[] hash;
        try {
            if (path.getParent() != null) {
                Files.createDirectories(path.getParent());
            }
            try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(tmp), chunkBytes)) {
                DigestOutputStream out = new DigestOutputStream(file, md);
                ByteBuffer head = ByteBuffer.allocate(MAGIC.length + 8).order(ByteOrder.LITTLE_ENDIAN);
                head.put(MAGIC).putInt(FORMAT_VERSION).putInt(header.length);
                out.write(head.array());
                out.write(header);
                ByteBuffer buf = ByteBuffer.allocate(Math.max(chunkBytes, 8)).order(ByteOrder.LITTLE_ENDIAN);
                for (ClusterLevel level : tree.levels()) {
                    writeCentroids(out, buf, level.centroids());
                    writeInts(out, buf, level.parent());
                    writeLongs(out, buf, level.size());
                }
                hash = md.digest();
                file.write(hash);
            }
            Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new StrataException("cannot write model " + path + ": " + e.getMessage(), e);
        }
        return tree.withVersion(version(hash));
    }

    private static void writeCentroids(OutputStream out, ByteBuffer buf, FloatMatrix m) throws IOException {
        int dim = m.dim();
        float[] row = new float[dim];
        for (int r = 0; r < m.rows(); r++) {
            System.arraycopy(m.array(r), m.offset(r), row, 0, dim);
            for (float v : row) {
                if (buf.remaining() < Float.BYTES) {
                    drain(out, buf);
                }
                buf.putFloat(v);
            }
        }
        drain(out, buf);
    }

    private static void writeInts(OutputStream out, ByteBuffer buf, int[] a) throws IOException {
        for (int v : a) {
            if (buf.remaining() < Integer.BYTES) {
                drain(out, buf);
            }
            buf.putInt(v);
        }
        drain(out, buf);
    }

    private static void writeLongs(OutputStream out, ByteBuffer buf, long[] a) throws IOException {
        for (long v : a) {
            if (buf.remaining() < Long.BYTES) {
                drain(out, buf);
            }
            buf.putLong(v);
        }
        drain(out, buf);
    }

    private static void drain(OutputStream out, ByteBuffer buf) throws IOException {
        out.write(buf.array(), 0, buf.position());
        buf.clear();
    }

    public static ClusterTree read(Path path) {
        long length;
        try (InputStream in = Files.newInputStream(path)) {
            length = Files.size(path);
            return read(in, length, path.toString(), CHUNK_BYTES);
        } catch (EOFException e) {
            throw truncated(path.toString(), -1, -1);
        } catch (NoSuchFileException e) {
            throw new StrataException(path + ": no such model file; build one with 'strata bootstrap'");
        } catch (IOException e) {
            throw new StrataException(path + ": cannot read model file: " + e.getMessage(), e);
        }
    }

    /** Parses a model held in memory (e.g. read through Flink's file systems); {@code name} appears in errors. */
    public static ClusterTree parse(byte[] bytes, String name) {
        try {
            return read(new ByteArrayInputStream(bytes), bytes.length, name, CHUNK_BYTES);
        } catch (EOFException e) {
            throw truncated(name, bytes.length, -1);
        } catch (IOException e) {
            throw new IllegalStateException("reading from memory failed", e);
        }
    }

    /**
     * Reads a model of {@code length} bytes from a stream, hashing as it goes: the size is
     * checked against the header before the arrays are read, the hash after them.
     */
    static ClusterTree read(InputStream raw, long length, String name, int chunkBytes) throws IOException {
        MessageDigest md = sha256();
        DataInputStream in = new DataInputStream(new DigestInputStream(new BufferedInputStream(raw, chunkBytes), md));
        byte[] magic = new byte[MAGIC.length];
        if (length >= MAGIC.length) {
            in.readFully(magic);
        }
        if (length < MAGIC.length || !startsWithMagic(magic)) {
            throw new StrataException(
                    name + ": not a Strata model file (bad magic); pass a file written by 'strata bootstrap'");
        }
        if (length < MAGIC.length + 8) {
            throw truncated(name, length, -1);
        }
        ByteBuffer head = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        in.readFully(head.array());
        int format = head.getInt(0);
        if (format != FORMAT_VERSION) {
            throw new StrataException(
                    name + ": model format version " + format + " is not supported (this Strata reads " + FORMAT_VERSION
                            + "); rebuild the model or use a matching Strata release");
        }
        int headerLength = head.getInt(4);
        if (headerLength < 2 || headerLength > length - MAGIC.length - 8) {
            throw truncated(name, length, -1);
        }
        byte[] headerBytes = new byte[headerLength];
        in.readFully(headerBytes);
        JsonNode header;
        try {
            header = JSON.readTree(headerBytes);
        } catch (IOException e) {
            throw new StrataException(name + ": model header is corrupted ("
                    + e.getMessage().lines().findFirst().orElse("") + "); rebuild the model with 'strata bootstrap'");
        }
        Metric metric;
        int dim;
        List<Integer> ks = new ArrayList<>();
        try {
            metric = Metric.parse(header.path("metric").asText());
            dim = header.path("dim").asInt();
            for (JsonNode level : header.path("levels")) {
                ks.add(level.path("clusters").asInt());
            }
        } catch (StrataException e) {
            throw new StrataException(name + ": model header is corrupted (" + e.getMessage() + ")");
        }
        if (dim <= 0 || ks.isEmpty() || ks.stream().anyMatch(k -> k <= 0)) {
            throw new StrataException(name + ": model header is corrupted (dim " + dim + ", levels " + ks
                    + "); rebuild the model with 'strata bootstrap'");
        }
        long expected = (long) MAGIC.length + 8 + headerLength + HASH_BYTES;
        for (int k : ks) {
            expected += (long) k * dim * 4 + (long) k * 4 + (long) k * 8;
        }
        if (length != expected) {
            throw truncated(name, length, expected);
        }
        ByteBuffer buf = ByteBuffer.allocate(Math.max(chunkBytes, 8)).order(ByteOrder.LITTLE_ENDIAN);
        List<ClusterLevel> levels = new ArrayList<>();
        for (int k : ks) {
            FloatMatrix c = FloatMatrix.zeros(k, dim);
            int[] at = {0, 0}; // row, column of the next value
            readSection(in, buf, (long) k * dim, Float.BYTES, (b, n) -> {
                for (int i = 0; i < n; i++) {
                    c.array(at[0])[c.offset(at[0]) + at[1]] = b.getFloat();
                    if (++at[1] == dim) {
                        at[1] = 0;
                        at[0]++;
                    }
                }
            });
            int[] parent = new int[k];
            int[] p = {0};
            readSection(in, buf, k, Integer.BYTES, (b, n) -> {
                b.asIntBuffer().get(parent, p[0], n);
                p[0] += n;
            });
            long[] size = new long[k];
            int[] q = {0};
            readSection(in, buf, k, Long.BYTES, (b, n) -> {
                b.asLongBuffer().get(size, q[0], n);
                q[0] += n;
            });
            levels.add(new ClusterLevel(c, parent, size));
        }
        byte[] hash = md.digest();
        byte[] stored = new byte[HASH_BYTES];
        in.readFully(stored);
        if (!MessageDigest.isEqual(hash, stored)) {
            throw new StrataException(
                    name + ": model file is corrupted (checksum mismatch); copy it again or rebuild it "
                            + "with 'strata bootstrap'");
        }
        try {
            JsonNode d = header.path("pool_leaf_distance_sq");
            return new ClusterTree(
                    metric,
                    dim,
                    levels,
                    params(header.path("params")),
                    version(hash),
                    d.isNumber() ? d.asDouble() : Double.NaN);
        } catch (IllegalArgumentException e) {
            throw new StrataException(name + ": model is inconsistent (" + e.getMessage() + "); rebuild it");
        }
    }

    /** What a section's chunk becomes: {@code n} elements read from {@code buf}. */
    @FunctionalInterface
    private interface Section {
        void take(ByteBuffer buf, int n);
    }

    /** Reads {@code count} elements of {@code bytes} bytes each, a buffer at a time. */
    private static void readSection(DataInputStream in, ByteBuffer buf, long count, int bytes, Section section)
            throws IOException {
        int perChunk = buf.capacity() / bytes;
        long done = 0;
        while (done < count) {
            int n = (int) Math.min(perChunk, count - done);
            in.readFully(buf.array(), 0, n * bytes);
            buf.clear().limit(n * bytes);
            section.take(buf, n);
            done += n;
        }
    }

    private static StrataException truncated(String name, long actual, long expected) {
        String sizes = expected > 0 ? " (" + actual + " bytes, the header describes " + expected + ")" : "";
        return new StrataException(name + ": model file is truncated or corrupted" + sizes
                + "; copy it again or rebuild it with 'strata bootstrap'");
    }

    private static boolean startsWithMagic(byte[] bytes) {
        if (bytes.length < MAGIC.length) {
            return false;
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes[i] != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    static String header(ClusterTree tree) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", "strata-model");
        root.put("format_version", FORMAT_VERSION);
        root.put("metric", tree.metric().label());
        root.put("dim", tree.dim());
        root.put("dtype", "float32");
        root.put("byte_order", "little");
        ArrayNode levels = root.putArray("levels");
        for (int t = 0; t < tree.depth(); t++) {
            ObjectNode l = levels.addObject();
            l.put("level", t + 1);
            l.put("clusters", tree.levels().get(t).clusters());
            l.put("points", tree.levels().get(t).totalSize());
        }
        if (Double.isFinite(tree.poolLeafDistanceSq())) {
            // optional: readers that do not know it ignore it, readers that do treat its absence as unknown
            root.put("pool_leaf_distance_sq", tree.poolLeafDistanceSq());
        }
        BuildParams p = tree.params();
        if (p != null) {
            root.set("params", JSON.valueToTree(p));
        }
        return root.toString();
    }

    private static BuildParams params(JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return null;
        }
        try {
            return JSON.treeToValue(node, BuildParams.class);
        } catch (IOException e) {
            return null;
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String version(byte[] hash) {
        return HexFormat.of().formatHex(hash, 0, 8);
    }
}
