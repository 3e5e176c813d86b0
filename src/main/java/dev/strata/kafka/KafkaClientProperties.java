package dev.strata.kafka;

import dev.strata.StrataException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.provider.FileConfigProvider;

/**
 * Kafka client properties files (Kafka's own convention: Java properties, the file Kafka's tools
 * take as {@code --command-config}), and which of their values are secrets. A secret is a value of
 * a key Kafka itself types as a password ({@code sasl.jaas.config}, {@code ssl.keystore.password},
 * ...) written out instead of as a config-provider reference ({@code ${file:PATH:KEY}},
 * {@code ${env:VAR}}) that each client resolves for itself.
 */
public final class KafkaClientProperties {
    /** The alias under which {@link #asReferences} reads secrets back from their file. */
    static final String FILE_PROVIDER = "file";

    private KafkaClientProperties() {}

    /** The properties of a client properties file, in file order; one line naming the problem otherwise. */
    public static Map<String, String> load(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (NoSuchFileException e) {
            throw new StrataException("--kafka-config " + file + ": no such file; give a Kafka client properties file "
                    + "(security.protocol=..., sasl.* and ssl.* keys, as for Kafka's tools' --command-config)");
        } catch (IOException | IllegalArgumentException e) {
            throw new StrataException(
                    "--kafka-config " + file + ": cannot read it as a properties file (" + e.getMessage() + ")");
        }
        Map<String, String> out = new TreeMap<>();
        p.stringPropertyNames().forEach(k -> out.put(k, p.getProperty(k).strip()));
        return out;
    }

    /** Whether Kafka types this client setting as a password (producer, consumer or admin). */
    public static boolean isSecretKey(String key) {
        for (ConfigDef def :
                List.of(ProducerConfig.configDef(), ConsumerConfig.configDef(), AdminClientConfig.configDef())) {
            ConfigDef.ConfigKey k = def.configKeys().get(key);
            if (k != null && k.type == ConfigDef.Type.PASSWORD) {
                return true;
            }
        }
        return false;
    }

    /** Whether the value is a config-provider reference that Kafka resolves inside the client. */
    public static boolean isReference(String value) {
        return value != null && value.contains("${") && value.contains("}");
    }

    /** Keys whose value is a secret written out, sorted. */
    public static List<String> writtenSecrets(Map<String, String> properties) {
        List<String> out = new ArrayList<>();
        new TreeSet<>(properties.keySet()).forEach(k -> {
            if (isSecretKey(k) && !isReference(properties.get(k))) {
                out.add(k);
            }
        });
        return out;
    }

    /**
     * The properties of {@code file} with each secret written out replaced by a reference to the
     * same key of the same file through Kafka's {@link FileConfigProvider}: what a job carries to
     * the cluster is then the file's path, and every client reads the secret from the file itself.
     * The file must be readable, at the same path, wherever the job's clients run.
     */
    public static Map<String, String> asReferences(Path file, Map<String, String> properties) {
        List<String> secrets = writtenSecrets(properties);
        Map<String, String> out = new LinkedHashMap<>(properties);
        if (secrets.isEmpty()) {
            return out;
        }
        String path = file.toAbsolutePath().normalize().toString();
        for (String k : secrets) {
            out.put(k, "${" + FILE_PROVIDER + ":" + path + ":" + k + "}");
        }
        String providers = out.getOrDefault("config.providers", "").strip();
        List<String> aliases = new ArrayList<>(providers.isEmpty() ? List.of() : List.of(providers.split("\\s*,\\s*")));
        if (!aliases.contains(FILE_PROVIDER)) {
            aliases.add(FILE_PROVIDER);
            out.put("config.providers", String.join(",", aliases));
            out.put("config.providers." + FILE_PROVIDER + ".class", FileConfigProvider.class.getName());
        } else if (!FileConfigProvider.class
                .getName()
                .equals(out.get("config.providers." + FILE_PROVIDER + ".class"))) {
            throw new StrataException("--kafka-config " + file + ": config.providers alias '" + FILE_PROVIDER
                    + "' is not "
                    + FileConfigProvider.class.getName() + ", and a job needs it to read " + String.join(", ", secrets)
                    + " from this file; rename that provider");
        }
        return out;
    }
}
