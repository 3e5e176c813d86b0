package dev.strata.kafka;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Where Kafka is and how to talk to it: the brokers plus the client properties of Kafka's own
 * convention (a {@code client.properties} file as Kafka's tools take with {@code --command-config}:
 * {@code security.protocol}, {@code sasl.*}, {@code ssl.*}, {@code config.providers}, ...). Every
 * admin, producer and consumer a command or the job creates starts from {@link #clientProperties}.
 *
 * <p>Secrets stay references where they travel ({@code ${file:...}}, {@code ${env:...}}): Kafka
 * resolves them inside each client, so they are never in our settings, logs or job graph.
 *
 * @param bootstrapServers the brokers; they win over a {@code bootstrap.servers} in the properties
 * @param properties       client properties as written (config-provider references unresolved)
 */
public record KafkaConnection(String bootstrapServers, Map<String, String> properties) implements Serializable {

    public KafkaConnection {
        properties = Map.copyOf(new TreeMap<>(properties));
    }

    /** The brokers with no client properties: a PLAINTEXT listener. */
    public static KafkaConnection plain(String bootstrapServers) {
        return new KafkaConnection(bootstrapServers, Map.of());
    }

    /** The brokers and the properties of a client properties file (none when {@code file} is null). */
    public static KafkaConnection of(String bootstrapServers, Path file) {
        return new KafkaConnection(bootstrapServers, file == null ? Map.of() : KafkaClientProperties.load(file));
    }

    /**
     * The user's client properties, then the brokers. The caller adds its own settings on top:
     * those a command or the job needs to be correct (isolation level, serializers) win.
     */
    public Properties clientProperties() {
        Properties p = new Properties();
        p.putAll(properties);
        p.put("bootstrap.servers", bootstrapServers);
        return p;
    }

    /** For messages: the brokers, and the protocol when it is not plain text. */
    @Override
    public String toString() {
        String protocol = properties.get("security.protocol");
        return protocol == null ? bootstrapServers : bootstrapServers + " (" + protocol + ")";
    }
}
