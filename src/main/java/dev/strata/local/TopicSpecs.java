package dev.strata.local;

import dev.strata.StrataException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * Reads kafka/topics.properties: one line per topic, {@code name = partitions=4, key=value...};
 * everything but "partitions" is topic config. Order is kept so `kafka start` lists topics as written.
 */
public final class TopicSpecs {
    private TopicSpecs() {}

    public static List<NewTopic> load(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read topic list " + file, e);
        }
        List<NewTopic> topics = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            topics.add(parse(line, file + ":" + (i + 1)));
        }
        return topics;
    }

    static NewTopic parse(String line, String where) {
        int eq = line.indexOf('=');
        if (eq <= 0) {
            throw new StrataException(where + ": expected `name = partitions=N[, key=value...]`, got: " + line);
        }
        String name = line.substring(0, eq).trim();
        int partitions = 1;
        Map<String, String> configs = new LinkedHashMap<>();
        for (String part : line.substring(eq + 1).split(",")) {
            String kv = part.trim();
            if (kv.isEmpty()) {
                continue;
            }
            int e = kv.indexOf('=');
            if (e <= 0) {
                throw new StrataException(where + ": expected key=value, got: " + kv);
            }
            String k = kv.substring(0, e).trim();
            String v = kv.substring(e + 1).trim();
            if (k.equals("partitions")) {
                try {
                    partitions = Integer.parseInt(v);
                } catch (NumberFormatException ex) {
                    throw new StrataException(where + ": partitions must be a whole number, got: " + v);
                }
            } else {
                configs.put(k, v);
            }
        }
        // replication factor left to the broker default (1 on the local broker)
        return new NewTopic(name, Optional.of(partitions), Optional.empty()).configs(configs);
    }
}
