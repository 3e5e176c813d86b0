package dev.strata.cli;

import dev.strata.StrataException;
import dev.strata.kafka.KafkaConnection;
import dev.strata.kafka.TopicExporter;
import dev.strata.progress.Progress;
import dev.strata.records.DecodeResult;
import dev.strata.records.InputRules;
import dev.strata.records.InvalidReason;
import dev.strata.records.RecordDecoder;
import dev.strata.sampling.CarryOver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * The input a curation run has consumed: each partition of the input topic from its first
 * offset still held to the offset the run's consumer group committed (the job commits offsets
 * when a checkpoint completes, with its curated output), read_committed, decoded by the job's
 * own {@link RecordDecoder} under the job's rules. Records the job dead-lettered are counted by
 * reason and skipped, as the job skipped them.
 */
final class ConsumedInput {
    private static final Duration STALL_LIMIT = Duration.ofSeconds(60);

    /** The offsets read per partition, and the records skipped by reason. */
    record Read(List<CarryOver.PartitionRange> ranges, long records, Map<InvalidReason, Long> invalid) {}

    private ConsumedInput() {}

    /**
     * Hands every valid record up to {@code until} (partition to committed offset) to {@code items}.
     */
    static Read read(
            KafkaConnection kafka,
            String topic,
            Map<Integer, Long> until,
            InputRules rules,
            Consumer<DecodeResult> items,
            Progress progress) {
        Properties config = TopicExporter.consumerConfig(kafka);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "strata-carry-over");
        List<CarryOver.PartitionRange> ranges = new ArrayList<>();
        Map<InvalidReason, Long> invalid = new EnumMap<>(InvalidReason.class);
        long records = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> tps = new ArrayList<>();
            until.keySet().forEach(p -> tps.add(new TopicPartition(topic, p)));
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(tps);
            long total = 0;
            for (TopicPartition tp : tps) {
                total += Math.max(0, until.get(tp.partition()) - begin.get(tp));
            }
            progress.start("reading what the run consumed of " + topic, total, "offsets");
            for (TopicPartition tp : tps) {
                long from = Math.min(begin.get(tp), until.get(tp.partition()));
                long stop = until.get(tp.partition());
                ranges.add(new CarryOver.PartitionRange(tp.partition(), from, stop));
                records += readPartition(consumer, tp, from, stop, rules, items, invalid, progress);
            }
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw new StrataException("the broker did not answer for topic '" + topic + "' on " + kafka
                    + " in time; is it up? (`strata kafka status`)");
        }
        progress.finish();
        return new Read(ranges, records, invalid);
    }

    private static long readPartition(
            KafkaConsumer<byte[], byte[]> consumer,
            TopicPartition tp,
            long start,
            long stop,
            InputRules rules,
            Consumer<DecodeResult> items,
            Map<InvalidReason, Long> invalid,
            Progress progress) {
        if (start >= stop) {
            return 0;
        }
        consumer.assign(List.of(tp));
        consumer.seek(tp, start);
        long read = 0;
        long lastProgress = System.nanoTime();
        long position = start;
        while (position < stop) {
            long before = read;
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                if (r.offset() >= stop) {
                    break;
                }
                read++;
                DecodeResult d = RecordDecoder.decode(r.key(), r.value(), r.headers(), rules);
                if (d.isValid()) {
                    items.accept(d);
                } else {
                    invalid.merge(d.reason(), 1L, Long::sum);
                }
            }
            // offsets can jump (transaction markers, compaction): progress by position, not by count
            long now = consumer.position(tp);
            progress.advance(Math.min(now, stop) - position);
            position = now;
            if (read > before) {
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > STALL_LIMIT.toNanos()) {
                throw new StrataException("no record of " + tp + " arrived for " + STALL_LIMIT.toSeconds()
                        + " s while reading up to offset " + stop + "; is the broker up?");
            }
        }
        return read;
    }
}
