package dev.strata.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.StrataException;
import dev.strata.vector.FloatMatrix;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
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

    private ModelFile() {
    }

    /** Writes atomically (temp file + rename) and returns the tree with its version set. */
    public static ClusterTree write(ClusterTree tree, Path path) {
        byte[] header = header(tree).getBytes(StandardCharsets.UTF_8);
        long bodyLength = 8 + 4 + 4 + header.length + arraysLength(tree);
        if (bodyLength + HASH_BYTES > Integer.MAX_VALUE - 8) {
            throw new StrataException("model of " + bodyLength + " bytes is larger than the 2 GiB a model file may hold; "
                    + "use fewer leaves");
        }
        ByteBuffer buf = ByteBuffer.allocate((int) bodyLength + HASH_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buf.put(MAGIC).putInt(FORMAT_VERSION).putInt(header.length).put(header);
        for (ClusterLevel level : tree.levels()) {
            buf.asFloatBuffer().put(level.centroids().data());
            buf.position(buf.position() + level.centroids().data().length * 4);
            buf.asIntBuffer().put(level.parent());
            buf.position(buf.position() + level.parent().length * 4);
            buf.asLongBuffer().put(level.size());
            buf.position(buf.position() + level.size().length * 8);
        }
        byte[] hash = sha256(buf.array(), (int) bodyLength);
        buf.put(hash);
        Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
        try {
            if (path.getParent() != null) {
                Files.createDirectories(path.getParent());
            }
            try (OutputStream out = Files.newOutputStream(tmp)) {
                out.write(buf.array());
            }
            Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new StrataException("cannot write model " + path + ": " + e.getMessage(), e);
        }
        return tree.withVersion(version(hash));
    }

    public static ClusterTree read(Path path) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new StrataException(path + ": no such model file; build one with 'strata bootstrap'");
        } catch (IOException e) {
            throw new StrataException(path + ": cannot read model file: " + e.getMessage(), e);
        }
        return parse(bytes, path.toString());
    }

    /** Parses a model held in memory (e.g. read through Flink's file systems); {@code name} appears in errors. */
    public static ClusterTree parse(byte[] bytes, String name) {
        if (bytes.length < MAGIC.length || !startsWithMagic(bytes)) {
            throw new StrataException(name + ": not a Strata model file (bad magic); pass a file written by 'strata bootstrap'");
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        buf.position(MAGIC.length);
        if (buf.remaining() < 8) {
            throw truncated(name, bytes.length, -1);
        }
        int format = buf.getInt();
        if (format != FORMAT_VERSION) {
            throw new StrataException(name + ": model format version " + format + " is not supported (this Strata reads "
                    + FORMAT_VERSION + "); rebuild the model or use a matching Strata release");
        }
        int headerLength = buf.getInt();
        if (headerLength < 2 || headerLength > buf.remaining()) {
            throw truncated(name, bytes.length, -1);
        }
        byte[] headerBytes = new byte[headerLength];
        buf.get(headerBytes);
        JsonNode header;
        try {
            header = JSON.readTree(headerBytes);
        } catch (IOException e) {
            throw new StrataException(name + ": model header is corrupted (" + e.getMessage().lines().findFirst().orElse("")
                    + "); rebuild the model with 'strata bootstrap'");
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
        if (bytes.length != expected) {
            throw truncated(name, bytes.length, expected);
        }
        int bodyLength = bytes.length - HASH_BYTES;
        byte[] hash = sha256(bytes, bodyLength);
        if (!MessageDigest.isEqual(hash, Arrays.copyOfRange(bytes, bodyLength, bytes.length))) {
            throw new StrataException(name + ": model file is corrupted (checksum mismatch); copy it again or rebuild it "
                    + "with 'strata bootstrap'");
        }
        List<ClusterLevel> levels = new ArrayList<>();
        for (int k : ks) {
            float[] c = new float[k * dim];
            buf.asFloatBuffer().get(c);
            buf.position(buf.position() + c.length * 4);
            int[] parent = new int[k];
            buf.asIntBuffer().get(parent);
            buf.position(buf.position() + k * 4);
            long[] size = new long[k];
            buf.asLongBuffer().get(size);
            buf.position(buf.position() + k * 8);
            levels.add(new ClusterLevel(new FloatMatrix(c, k, dim), parent, size));
        }
        try {
            JsonNode d = header.path("pool_leaf_distance_sq");
            return new ClusterTree(metric, dim, levels, params(header.path("params")), version(hash),
                    d.isNumber() ? d.asDouble() : Double.NaN);
        } catch (IllegalArgumentException e) {
            throw new StrataException(name + ": model is inconsistent (" + e.getMessage() + "); rebuild it");
        }
    }

    private static StrataException truncated(String name, long actual, long expected) {
        String sizes = expected > 0 ? " (" + actual + " bytes, the header describes " + expected + ")" : "";
        return new StrataException(name + ": model file is truncated or corrupted" + sizes
                + "; copy it again or rebuild it with 'strata bootstrap'");
    }

    private static boolean startsWithMagic(byte[] bytes) {
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes[i] != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    private static long arraysLength(ClusterTree tree) {
        long len = 0;
        for (ClusterLevel level : tree.levels()) {
            len += (long) level.centroids().data().length * 4 + level.parent().length * 4L + level.size().length * 8L;
        }
        return len;
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

    private static byte[] sha256(byte[] bytes, int length) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(bytes, 0, length);
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String version(byte[] hash) {
        return HexFormat.of().formatHex(hash, 0, 8);
    }
}
