package dev.strata.cli;

import dev.strata.StrataException;
import dev.strata.kafka.KafkaConnection;
import dev.strata.kafka.KafkaTopics;
import dev.strata.local.LocalKafka;
import dev.strata.local.ProjectHome;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code strata kafka start|stop|status}: the local single-node broker of kafka/README.md. */
@Command(
        name = "kafka",
        mixinStandardHelpOptions = true,
        description = "Run a local single-node Kafka broker (KRaft) from Maven-resolved jars; no Docker needed.",
        subcommands = {
            KafkaCommand.Start.class,
            KafkaCommand.Stop.class,
            KafkaCommand.Status.class,
            KafkaCommand.CreateTopic.class
        })
public class KafkaCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(
                spec.commandLine(), "Missing subcommand: start, stop, status or create-topic");
    }

    /** Options every subcommand shares. */
    static class BrokerOptions {
        @Option(
                names = "--data-dir",
                paramLabel = "DIR",
                description = "Broker data, logs and pid file (default: .strata/kafka under the project folder).")
        Path dataDir;

        @Option(
                names = "--port",
                paramLabel = "PORT",
                defaultValue = "9092",
                description = "Client port on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
        int port;

        @Option(
                names = "--controller-port",
                paramLabel = "PORT",
                description = "KRaft controller port on 127.0.0.1 (default: client port + 1).")
        Integer controllerPort;

        LocalKafka broker() {
            Path home = ProjectHome.find();
            Path dir = dataDir != null ? dataDir : LocalKafka.defaultDataDir(home);
            return new LocalKafka(home, dir, port, controllerPort != null ? controllerPort : port + 1);
        }
    }

    @Command(
            name = "start",
            mixinStandardHelpOptions = true,
            description = "Start the broker (no-op if one already answers on the port) and create the default topics.")
    static class Start implements Callable<Integer> {
        @Mixin
        BrokerOptions options;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            LocalKafka broker = options.broker();
            boolean started = broker.start();
            List<NewTopic> topics = broker.defaultTopics();
            List<String> created = LocalKafka.createTopics(broker.bootstrapServers(), topics);
            LocalKafka.Status st = broker.status();
            if (started) {
                out.printf(
                        "Kafka broker started on %s (pid %s), data %s, log %s%n",
                        broker.bootstrapServers(),
                        st.pid().isPresent() ? String.valueOf(st.pid().getAsLong()) : "?",
                        broker.dataDir(),
                        broker.logFile());
            } else {
                out.printf("Kafka broker already running on %s%n", broker.bootstrapServers());
            }
            out.println("topics: "
                    + topics.stream()
                            .map(t -> describe(t, created.contains(t.name())))
                            .collect(Collectors.joining(", ")));
            out.flush();
            return 0;
        }

        private static String describe(NewTopic t, boolean created) {
            String compact = t.configs() != null
                            && t.configs().getOrDefault("cleanup.policy", "").contains("compact")
                    ? ", compacted"
                    : "";
            return t.name() + " (" + t.numPartitions() + " partitions" + compact + (created ? ", created" : "") + ")";
        }
    }

    @Command(
            name = "stop",
            mixinStandardHelpOptions = true,
            description = "Stop the broker started from the data dir (clean shutdown, data kept).")
    static class Stop implements Callable<Integer> {
        @Mixin
        BrokerOptions options;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            LocalKafka broker = options.broker();
            if (broker.stop()) {
                out.printf(
                        "Kafka broker on %s stopped; data kept in %s%n", broker.bootstrapServers(), broker.dataDir());
            } else if (LocalKafka.probe(broker.port()) == LocalKafka.Probe.KAFKA) {
                out.printf(
                        "a Kafka broker answers on %s, but it was not started from %s; left running%n",
                        broker.bootstrapServers(), broker.dataDir());
            } else {
                out.printf("no Kafka broker from %s is running%n", broker.dataDir());
            }
            out.flush();
            return 0;
        }
    }

    @Command(
            name = "status",
            mixinStandardHelpOptions = true,
            description = "Say whether a broker answers on the port; exit code 0 if it does, 1 if not.")
    static class Status implements Callable<Integer> {
        @Mixin
        BrokerOptions options;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            LocalKafka.Status st = options.broker().status();
            String pid = st.pid().isPresent() ? "pid " + st.pid().getAsLong() : "not started from this data dir";
            switch (st.port()) {
                case KAFKA ->
                    out.printf(
                            "running: %s (%s), data %s, log %s%n",
                            st.bootstrapServers(), pid, st.dataDir(), st.logFile());
                case OTHER ->
                    out.printf(
                            "not running: port of %s is taken by something that is not Kafka%n", st.bootstrapServers());
                default ->
                    out.printf(
                            "not running: nothing listens on %s%s%n",
                            st.bootstrapServers(),
                            st.pid().isPresent()
                                    ? " (broker process " + st.pid().getAsLong() + " is alive, still starting?)"
                                    : "");
            }
            out.flush();
            return st.answering() ? 0 : 1;
        }
    }

    @Command(
            name = "create-topic",
            mixinStandardHelpOptions = true,
            description = {
                "Create a topic on any Kafka cluster (where the brokers keep auto-creation off), or leave it "
                        + "as it is when it exists.",
                "What is not given is left to the brokers' defaults "
                        + "(num.partitions, default.replication.factor); the cluster's create-topic policy applies."
            })
    static class CreateTopic implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @picocli.CommandLine.Parameters(index = "0", paramLabel = "NAME", description = "Topic name.")
        String name;

        @Option(
                names = "--bootstrap-servers",
                paramLabel = "HOST:PORT",
                defaultValue = "127.0.0.1:9092",
                description = "Kafka brokers (default: ${DEFAULT-VALUE}).")
        String bootstrapServers;

        @Mixin
        KafkaConfigOption kafkaConfig;

        @Option(
                names = "--partitions",
                paramLabel = "N",
                description = "Partitions (default: the brokers' num.partitions).")
        Integer partitions;

        @Option(
                names = "--replication-factor",
                paramLabel = "R",
                description = "Replicas per partition (default: the brokers' default.replication.factor).")
        Short replicationFactor;

        @Option(
                names = "--compact",
                description = "cleanup.policy=compact: for the curated topic of exact mode (an upsert "
                        + "changelog). Never for a dead-letter topic.")
        boolean compact;

        @Option(
                names = "--config",
                paramLabel = "KEY=VALUE",
                description = "A topic config (repeatable), as "
                        + "kafka-topics.sh --config, e.g. --config max.message.bytes=2097152.")
        Map<String, String> configs = new LinkedHashMap<>();

        @Override
        public Integer call() {
            if (partitions != null && partitions < 1) {
                throw new StrataException("--partitions must be >= 1, got " + partitions);
            }
            if (replicationFactor != null && replicationFactor < 1) {
                throw new StrataException("--replication-factor must be >= 1, got " + replicationFactor);
            }
            Map<String, String> c = new LinkedHashMap<>(configs);
            if (compact) {
                String given = c.get("cleanup.policy");
                if (given != null && !given.contains("compact")) {
                    throw new StrataException("--compact and --config cleanup.policy=" + given + " disagree; drop one");
                }
                c.putIfAbsent("cleanup.policy", "compact");
            }
            NewTopic topic = new NewTopic(name, Optional.ofNullable(partitions), Optional.ofNullable(replicationFactor))
                    .configs(c);
            KafkaConnection kafka = kafkaConfig.connection(bootstrapServers);
            Admin admin = KafkaTopics.admin(kafka);
            try {
                TopicCreation.create(
                        admin, kafka, List.of(topic), spec.commandLine().getOut());
            } finally {
                KafkaTopics.close(admin);
            }
            return 0;
        }
    }
}
