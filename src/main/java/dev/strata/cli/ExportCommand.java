package dev.strata.cli;

import dev.strata.kafka.TopicExporter;
import dev.strata.progress.Progress;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code strata export}: the committed content of a topic as a text file of ids (or dead-letter lines). */
@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        description = {
            "Write the committed records of a topic to a text file: curated ids one per line;",
            "for a changelog topic the live ids after tombstones; for a dead-letter topic key<TAB>reason<TAB>detail.",
            "Reads from the beginning up to the end offsets present at start (read_committed).",
            "Keys are escaped so each stays on one line: \\t \\n \\r \\\\ and \\xHH for other control or non-UTF-8 bytes.",
            "--with-clusters adds the leaf, top cluster and distance of each curated id as tab-separated columns."
        })
public class ExportCommand implements Callable<Integer> {
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

    @Option(names = "--topic", paramLabel = "TOPIC", required = true, description = "Topic to export.")
    String topic;

    @Option(names = "--out", paramLabel = "FILE.txt", required = true, description = "Output text file (replaced).")
    Path out;

    @Option(
            names = "--with-clusters",
            description = {
                "Curated topics: tab-separated with a header line id, leaf, top, distance",
                "(the leaf and top cluster of the model that assigned the item, its distance to the leaf centroid)."
            })
    boolean withClusters;

    @ArgGroup(exclusive = true)
    ForcedMode forced;

    static class ForcedMode {
        @Option(names = "--changelog", description = "Treat the topic as an upsert changelog (default: detected).")
        boolean changelog;

        @Option(names = "--dead-letters", description = "Treat the topic as dead letters (default: detected).")
        boolean deadLetters;

        @Option(names = "--plain", description = "Every key as it is, tombstones included (default: detected).")
        boolean plain;
    }

    @Override
    public Integer call() {
        TopicExporter.Mode mode = TopicExporter.Mode.AUTO;
        if (forced != null) {
            mode = forced.changelog
                    ? TopicExporter.Mode.CHANGELOG
                    : forced.deadLetters ? TopicExporter.Mode.DEAD_LETTERS : TopicExporter.Mode.PLAIN;
        }
        TopicExporter.Result r = TopicExporter.export(
                kafkaConfig.connection(bootstrapServers), topic, out, mode, withClusters, Progress.stderr());
        PrintWriter w = spec.commandLine().getOut();
        String what = switch (r.mode()) {
            case CHANGELOG ->
                String.format(Locale.ROOT, "%d live ids (changelog, %d tombstones)", r.linesWritten(), r.tombstones());
            case DEAD_LETTERS -> r.linesWritten() + " dead letters";
            default -> r.linesWritten() + " ids";
        };
        w.printf("exported %s from %d records of %s to %s%n", what, r.recordsRead(), topic, out);
        if (r.unparsed() > 0) {
            w.printf(
                    "%d records were not curated records (no id, path, distance); their cluster columns are empty%n",
                    r.unparsed());
        }
        w.flush();
        return 0;
    }
}
