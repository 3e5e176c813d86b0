package dev.strata.sampling;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.StrataException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The carry-over file (docs/model-format.md, "Carry-over file"): one JSON object, so Python's
 * json.load and numpy.asarray read its per-leaf arrays as they are. Written atomically (a
 * temporary file moved into place), read strictly: a missing or ill-typed field is one line
 * naming it.
 */
public final class CarryOverFile {
    /** The format's name and version, the first field of every file. */
    public static final String FORMAT = "strata-carry-over/1";

    private static final ObjectMapper JSON = new ObjectMapper();

    private CarryOverFile() {}

    public static void write(CarryOver c, Path out) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("oldModelVersion", c.oldModelVersion());
        root.put("newModelVersion", c.newModelVersion());
        root.put("inputTopic", c.inputTopic());
        root.put("groupId", c.groupId());
        ArrayNode offsets = root.putArray("offsets");
        for (CarryOver.PartitionRange r : c.offsets()) {
            offsets.addObject()
                    .put("partition", r.partition())
                    .put("from", r.from())
                    .put("until", r.until());
        }
        root.put("leaves", c.seen().length);
        root.put("seenTotal", c.seenTotal());
        root.put("keptTotal", c.keptTotal());
        root.put("keptUnmapped", c.keptUnmapped());
        root.put("distanceSqSum", c.distanceSqSum());
        if (c.window() != null) {
            root.putObject("window")
                    .put("time", "event")
                    .put("sizeMillis", c.window().sizeMillis())
                    .put("start", c.window().start())
                    .put("earliest", c.window().earliest())
                    .put("latest", c.window().latest());
        }
        ArrayNode seen = root.putArray("seen");
        for (long v : c.seen()) {
            seen.add(v);
        }
        ArrayNode kept = root.putArray("kept");
        for (long v : c.kept()) {
            kept.add(v);
        }
        try {
            Path dir = out.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".carry-over-", ".tmp");
            try {
                Files.writeString(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n");
                Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new StrataException("cannot write carry-over " + out + ": " + e.getMessage(), e);
        }
    }

    /** Reads a carry-over file's bytes; {@code source} names it in messages. */
    public static CarryOver parse(byte[] bytes, String source) {
        JsonNode root;
        try {
            root = JSON.readTree(new String(bytes, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw bad(source, "not JSON (" + e.getOriginalMessage() + ")");
        }
        if (root == null
                || !root.isObject()
                || !FORMAT.equals(root.path("format").asText())) {
            throw bad(source, "not a carry-over file (expected \"format\": \"" + FORMAT + "\")");
        }
        long[] seen = longs(root, "seen", source);
        long[] kept = longs(root, "kept", source);
        if (seen.length != kept.length || seen.length != integer(root, "leaves", source)) {
            throw bad(source, "\"seen\" and \"kept\" must both have \"leaves\" entries");
        }
        List<CarryOver.PartitionRange> offsets = new ArrayList<>();
        JsonNode ranges = root.path("offsets");
        if (!ranges.isArray()) {
            throw bad(source, "\"offsets\" must be a list");
        }
        for (JsonNode r : ranges) {
            offsets.add(new CarryOver.PartitionRange(
                    (int) integer(r, "partition", source), integer(r, "from", source), integer(r, "until", source)));
        }
        JsonNode d = root.path("distanceSqSum");
        if (!d.isNumber()) {
            throw bad(source, "\"distanceSqSum\" must be a number");
        }
        CarryOver c = new CarryOver(
                text(root, "oldModelVersion", source),
                text(root, "newModelVersion", source),
                text(root, "inputTopic", source),
                text(root, "groupId", source),
                List.copyOf(offsets),
                seen,
                kept,
                integer(root, "keptUnmapped", source),
                d.asDouble(),
                window(root.get("window"), source));
        for (int i = 0; i < seen.length; i++) {
            if (kept[i] < 0 || kept[i] > seen[i]) {
                throw bad(source, "leaf " + i + " kept " + kept[i] + " of " + seen[i] + " items seen");
            }
        }
        return c;
    }

    /** The optional window of a windowed run's carry-over (absent: one horizon). */
    private static CarryOver.Window window(JsonNode w, String source) {
        if (w == null || w.isNull()) {
            return null;
        }
        if (!w.isObject() || !"event".equals(w.path("time").asText())) {
            throw bad(source, "\"window\" must be an object with \"time\": \"event\"");
        }
        CarryOver.Window window = new CarryOver.Window(
                integer(w, "sizeMillis", source),
                integer(w, "start", source),
                integer(w, "earliest", source),
                integer(w, "latest", source));
        if (window.sizeMillis() == 0 || window.start() % window.sizeMillis() != 0) {
            throw bad(source, "\"window\": \"start\" must be a multiple of a positive \"sizeMillis\"");
        }
        return window;
    }

    public static CarryOver read(Path file) {
        try {
            return parse(Files.readAllBytes(file), file.toString());
        } catch (IOException e) {
            throw new StrataException("cannot read carry-over " + file + ": " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode n, String field, String source) {
        JsonNode v = n.path(field);
        if (!v.isTextual()) {
            throw bad(source, "\"" + field + "\" must be a string");
        }
        return v.asText();
    }

    private static long integer(JsonNode n, String field, String source) {
        JsonNode v = n.path(field);
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
            throw bad(source, "\"" + field + "\" must be a non-negative integer");
        }
        return v.asLong();
    }

    private static long[] longs(JsonNode n, String field, String source) {
        JsonNode v = n.path(field);
        if (!v.isArray()) {
            throw bad(source, "\"" + field + "\" must be a list of non-negative integers");
        }
        long[] out = new long[v.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode e = v.get(i);
            if (!e.isIntegralNumber() || !e.canConvertToLong() || e.asLong() < 0) {
                throw bad(source, "\"" + field + "\"[" + i + "] must be a non-negative integer");
            }
            out[i] = e.asLong();
        }
        return out;
    }

    private static StrataException bad(String source, String what) {
        return new StrataException("carry-over " + source + ": " + what + "; write it again with `strata carry-over`");
    }
}
