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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.ObjLongConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * The input a curation run has consumed, read_committed and decoded by the job's own
 * {@link RecordDecoder} under the job's rules: ranges of each partition of the input topic, and
 * the search for where the run's kept items end. Records the job dead-lettered are counted by
 * reason and skipped, as the job skipped them.
 */
final class ConsumedInput {
    private static final Duration STALL_LIMIT = Duration.ofSeconds(60);

    /** The offsets read per partition, and the records skipped by reason. */
    record Read(List<CarryOver.PartitionRange> ranges, long records, Map<InvalidReason, Long> invalid) {}

    private ConsumedInput() {}

    /**
     * Hands every valid record of [from, until) of each partition to {@code items}, with its Kafka
     * timestamp (an event-time window's clock); a partition missing from {@code from} is read from
     * its first offset still held.
     */
    static Read read(
            KafkaConnection kafka,
            String topic,
            Map<Integer, Long> from,
            Map<Integer, Long> until,
            InputRules rules,
            ObjLongConsumer<DecodeResult> items,
            Progress progress) {
        List<CarryOver.PartitionRange> ranges = new ArrayList<>();
        Map<InvalidReason, Long> invalid = new EnumMap<>(InvalidReason.class);
        long records = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config(kafka))) {
            List<TopicPartition> tps = new ArrayList<>();
            until.keySet().forEach(p -> tps.add(new TopicPartition(topic, p)));
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(tps);
            Map<TopicPartition, Long> start = new java.util.HashMap<>();
            long total = 0;
            for (TopicPartition tp : tps) {
                long stop = until.get(tp.partition());
                start.put(tp, Math.min(stop, Math.max(begin.get(tp), from.getOrDefault(tp.partition(), 0L))));
                total += stop - start.get(tp);
            }
            progress.start("reading what the run consumed of " + topic, total, "offsets");
            for (TopicPartition tp : tps) {
                long stop = until.get(tp.partition());
                ranges.add(new CarryOver.PartitionRange(tp.partition(), start.get(tp), stop));
                records += readPartition(
                        consumer,
                        tp,
                        start.get(tp),
                        stop,
                        r -> {
                            DecodeResult d = RecordDecoder.decode(r.key(), r.value(), r.headers(), rules);
                            if (d.isValid()) {
                                items.accept(d, r.timestamp());
                            } else {
                                invalid.merge(d.reason(), 1L, Long::sum);
                            }
                            return true;
                        },
                        progress);
            }
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw timeout(kafka, topic);
        }
        progress.finish();
        return new Read(ranges, records, invalid);
    }

    /**
     * Where the run's kept items end past the offsets its group committed: every partition of the
     * topic is searched from {@code from} (its first offset when missing) to its end for the
     * {@code ids} not found yet, until all are found; returns per partition of the topic the
     * offset after the last of them, or the start when none is there. A stop with a savepoint
     * commits the curated output but not the source's offsets to the group, so the items read
     * since the last checkpoint (some of them kept) lie past the committed offsets.
     */
    static Map<Integer, Long> endOfKept(
            KafkaConnection kafka,
            String topic,
            Map<Integer, Long> from,
            Set<String> ids,
            InputRules rules,
            Progress progress) {
        Set<String> left = new HashSet<>(ids);
        Map<Integer, Long> end = new TreeMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config(kafka))) {
            List<TopicPartition> tps = new ArrayList<>();
            consumer.partitionsFor(topic).forEach(p -> tps.add(new TopicPartition(topic, p.partition())));
            tps.sort((a, b) -> Integer.compare(a.partition(), b.partition()));
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(tps);
            Map<TopicPartition, Long> last = consumer.endOffsets(tps);
            long total = 0;
            for (TopicPartition tp : tps) {
                long start = Math.max(begin.get(tp), from.getOrDefault(tp.partition(), 0L));
                end.put(tp.partition(), start);
                total += Math.max(0, last.get(tp) - start);
            }
            progress.start("looking for kept items past the committed offsets of " + topic, total, "offsets");
            for (TopicPartition tp : tps) {
                if (left.isEmpty()) {
                    break;
                }
                readPartition(
                        consumer,
                        tp,
                        end.get(tp.partition()),
                        last.get(tp),
                        r -> {
                            DecodeResult d = RecordDecoder.decode(r.key(), r.value(), r.headers(), rules);
                            if (d.isValid() && left.remove(d.record().id())) {
                                end.put(tp.partition(), r.offset() + 1);
                            }
                            return !left.isEmpty();
                        },
                        progress);
            }
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw timeout(kafka, topic);
        }
        progress.finish();
        return end;
    }

    private static Properties config(KafkaConnection kafka) {
        Properties config = TopicExporter.consumerConfig(kafka);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "strata-carry-over");
        return config;
    }

    private static StrataException timeout(KafkaConnection kafka, String topic) {
        return new StrataException("the broker did not answer for topic '" + topic + "' on " + kafka
                + " in time; is it up? (`strata kafka status`)");
    }

    /** What to do with one record; false stops reading the partition. */
    private interface RecordStep {
        boolean accept(ConsumerRecord<byte[], byte[]> r);
    }

    private static long readPartition(
            KafkaConsumer<byte[], byte[]> consumer,
            TopicPartition tp,
            long start,
            long stop,
            RecordStep step,
            Progress progress) {
        if (start >= stop) {
            return 0;
        }
        consumer.assign(List.of(tp));
        consumer.seek(tp, start);
        long read = 0;
        long lastProgress = System.nanoTime();
        long position = start;
        boolean more = true;
        while (more && position < stop) {
            long before = read;
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                if (r.offset() >= stop || !more) {
                    break;
                }
                read++;
                more = step.accept(r);
            }
            // offsets can jump (transaction markers, compaction): progress by position, not by count
            long now = consumer.position(tp);
            progress.advance(Math.max(0, Math.min(now, stop) - position));
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
