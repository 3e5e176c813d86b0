package dev.strata.cli;

import dev.strata.StrataException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** A topic as input (bootstrap, drift): which topic, on which brokers, and which of its records. */
final class TopicRangeOptions {
    @Option(
            names = "--input-topic",
            description = "Read the embeddings from this Kafka topic (the curation job's input) instead of "
                    + "--input; records are decoded as the job decodes them, invalid ones skipped and counted.")
    String topic;

    @Option(
            names = "--bootstrap-servers",
            paramLabel = "HOST:PORT",
            defaultValue = "127.0.0.1:9092",
            description = "Brokers of --input-topic. Default: ${DEFAULT-VALUE}.")
    String bootstrapServers;

    @Mixin
    KafkaConfigOption kafkaConfig;

    @Option(
            names = "--records",
            description = "With --input-topic: the first N valid records, spread evenly over the partitions.")
    Long records;

    @Option(names = "--from-offset", description = "With --input-topic: start at this offset in every partition.")
    Long fromOffset;

    @Option(names = "--until-offset", description = "With --input-topic: stop before this offset in every partition.")
    Long untilOffset;

    @Option(
            names = "--from",
            description = "With --input-topic: records from this time on (ISO-8601, e.g. "
                    + "2026-11-30T00:00:00Z, or epoch milliseconds).")
    String from;

    @Option(names = "--until", description = "With --input-topic: records before this time (as --from).")
    String until;

    boolean anyRange() {
        return records != null || fromOffset != null || untilOffset != null || from != null || until != null;
    }

    TopicPool.Range range() {
        if (records != null && records < 1) {
            throw new StrataException("--records must be >= 1, got " + records);
        }
        if (fromOffset != null && fromOffset < 0 || untilOffset != null && untilOffset < 0) {
            throw new StrataException("--from-offset and --until-offset must be >= 0");
        }
        return new TopicPool.Range(records, fromOffset, untilOffset, time("--from", from), time("--until", until));
    }

    private static Instant time(String flag, String text) {
        if (text == null) {
            return null;
        }
        try {
            return text.chars().allMatch(Character::isDigit)
                    ? Instant.ofEpochMilli(Long.parseLong(text))
                    : Instant.parse(text);
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new StrataException(flag + ": '" + text + "' is not a time; write ISO-8601 like 2026-11-30T00:00:00Z"
                    + " or epoch milliseconds");
        }
    }
}
