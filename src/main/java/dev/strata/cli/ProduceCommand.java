package dev.strata.cli;

import dev.strata.StrataException;
import dev.strata.kafka.EmbeddingPublisher;
import dev.strata.kafka.KafkaConnection;
import dev.strata.kafka.KafkaTopics;
import dev.strata.progress.Progress;
import dev.strata.records.WireFormat;
import dev.strata.vector.FloatMatrix;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code strata produce}: a crawler stand-in that pushes the rows of a .npy file to a topic.
 * The file readers are passed in (the .npy readers live in the io package) so this command only
 * parses options and reports.
 */
@Command(
        name = "produce",
        mixinStandardHelpOptions = true,
        description =
                "Send the rows of a .npy float32 file to a Kafka topic, like a crawler would (id = key = row index).")
public class ProduceCommand implements Callable<Integer> {
    private final Function<Path, FloatMatrix> matrixReader;
    private final Function<Path, int[]> labelReader;

    @Spec
    CommandSpec spec;

    @Option(
            names = "--bootstrap-servers",
            paramLabel = "HOST:PORT",
            defaultValue = "127.0.0.1:9092",
            description = "Kafka brokers (default: ${DEFAULT-VALUE}).")
    String bootstrapServers;

    @Mixin
    KafkaConfigOption kafkaConfig;

    @Option(
            names = "--create-topic",
            description = "Create the topic when it does not exist, with the brokers' "
                    + "default partitions and replication (`strata kafka create-topic` for more control).")
    boolean createTopic;

    @Option(
            names = "--topic",
            paramLabel = "TOPIC",
            defaultValue = "embeddings",
            description = "Topic to send to (default: ${DEFAULT-VALUE}).")
    String topic;

    @Option(names = "--input", paramLabel = "FILE.npy", required = true, description = "Embeddings, float32 rows.")
    Path input;

    @Option(
            names = "--format",
            paramLabel = "json|f32",
            defaultValue = "json",
            description =
                    "Value encoding: json or f32 (little-endian float32, meta in headers). Default: ${DEFAULT-VALUE}.")
    String format;

    @Option(
            names = "--rate",
            paramLabel = "N",
            defaultValue = "0",
            description = "Records per second; 0 = as fast as possible (default).")
    double rate;

    @Option(
            names = "--meta-labels",
            paramLabel = "FILE.labels.npy",
            description = "One integer label per row, sent as meta {\"label\": N}.")
    Path metaLabels;

    /**
     * @param matrixReader reads a .npy float32 file into a matrix
     * @param labelReader  reads a .npy integer file into one label per row
     */
    public ProduceCommand(Function<Path, FloatMatrix> matrixReader, Function<Path, int[]> labelReader) {
        this.matrixReader = Objects.requireNonNull(matrixReader);
        this.labelReader = Objects.requireNonNull(labelReader);
    }

    @Override
    public Integer call() {
        WireFormat wire = parseFormat(format);
        if (rate < 0 || Double.isNaN(rate)) {
            throw new StrataException(
                    "--rate must be 0 (unlimited) or a positive number of records per second, got " + rate);
        }
        requireFile(input, "--input");
        if (metaLabels != null) {
            requireFile(metaLabels, "--meta-labels");
        }
        FloatMatrix matrix = matrixReader.apply(input);
        int[] labels = metaLabels == null ? null : labelReader.apply(metaLabels);

        KafkaConnection kafka = kafkaConfig.connection(bootstrapServers);
        Admin admin = KafkaTopics.admin(kafka);
        try {
            if (createTopic) {
                TopicCreation.create(
                        admin,
                        kafka,
                        List.of(TopicCreation.brokerDefaults(topic)),
                        spec.commandLine().getOut());
            }
            KafkaTopics.describe(
                    admin, kafka.toString(), topic); // fail fast and clearly, not after a 30 s metadata wait
        } finally {
            KafkaTopics.close(admin);
        }
        EmbeddingPublisher.Summary s;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(EmbeddingPublisher.producerConfig(kafka))) {
            s = new EmbeddingPublisher(producer, topic, wire, rate, Progress.stderr()).publish(matrix, labels);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf(
                Locale.ROOT,
                "produced %d records (%s, %d-d%s) to %s on %s in %.1f s (%.0f records/s, %.1f MB)%n",
                s.records(),
                wire.name().toLowerCase(Locale.ROOT),
                matrix.dim(),
                labels == null ? "" : ", with labels",
                topic,
                bootstrapServers,
                s.seconds(),
                s.recordsPerSecond(),
                s.bytes() / 1e6);
        out.flush();
        return 0;
    }

    private static WireFormat parseFormat(String name) {
        try {
            return WireFormat.parse(name);
        } catch (IllegalArgumentException e) {
            throw new StrataException("--format must be json or f32, got '" + name + "'");
        }
    }

    private static void requireFile(Path p, String option) {
        if (!Files.isRegularFile(p)) {
            throw new StrataException(option + " " + p + " is not a file; check the path");
        }
    }
}
