package dev.strata.cli;

import dev.strata.job.CurateSpec;
import dev.strata.kafka.KafkaClientProperties;
import dev.strata.kafka.KafkaConnection;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Option;

/**
 * {@code --kafka-config client.properties}: Kafka's own convention for how a client connects
 * (the file Kafka's tools take as {@code --command-config}), on every command that talks to Kafka.
 */
final class KafkaConfigOption {
    @Option(
            names = "--kafka-config",
            paramLabel = "client.properties",
            description =
                    "Kafka client properties for every client (security.protocol, sasl.*, ssl.*, config.providers; "
                            + "as Kafka's tools' --command-config). Secrets may be written out or as ${file:...}/${env:...}.")
    Path file;

    /** The brokers with this file's properties (none without the option). */
    KafkaConnection connection(String bootstrapServers) {
        return KafkaConnection.of(bootstrapServers, file);
    }

    /**
     * The job with this file's properties over its own kafka.properties. Secrets written out in
     * the file go to the job as references to the same file ({@code ${file:PATH:KEY}}), so the
     * job's settings never hold them: the file must be readable at this path where the job runs.
     */
    CurateSpec applyTo(CurateSpec job) {
        if (file == null) {
            return job;
        }
        Map<String, String> merged = new TreeMap<>(job.kafka().properties());
        merged.putAll(KafkaClientProperties.asReferences(file, KafkaClientProperties.load(file)));
        return CurateFlags.inFlags(() -> job.with(Map.of("kafka.properties", merged)));
    }
}
