package dev.strata.cli;

import dev.strata.StrataException;
import dev.strata.kafka.KafkaConnection;
import dev.strata.kafka.KafkaTopics;
import dev.strata.kafka.TopicExporter;
import dev.strata.progress.Progress;
import dev.strata.records.DecodeResult;
import dev.strata.records.InvalidReason;
import dev.strata.records.RecordDecoder;
import dev.strata.vector.FloatMatrix;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;

/**
 * A bootstrap pool read from the input topic, where the crawlers' embeddings already are: the
 * committed records of a range (the first N, an offset range, or a time range) decoded by the
 * job's own {@link RecordDecoder}. Partitions are read one after the other, each in offset order,
 * so the same range gives the same rows in the same order, and so the same model. Records the
 * job would dead-letter are skipped and counted by reason, never fatal.
 */
final class TopicPool {
    private static final Duration STALL_LIMIT = Duration.ofSeconds(60);
    private static final int BLOCK_ROWS = 1 << 14;

    /**
     * Which records: each bound null when not given. {@code records} is spread evenly over the
     * partitions (the first records of each); offsets apply to every partition; times pick the
     * first offset at or after them.
     */
    record Range(Long records, Long fromOffset, Long untilOffset, Instant from, Instant until) {}

    /** The rows, and what was skipped by reason. */
    record Pool(FloatMatrix rows, long recordsRead, Map<InvalidReason, Long> skipped) {
        String describeSkipped() {
            StringBuilder sb = new StringBuilder();
            skipped.forEach((reason, n) -> sb.append(sb.length() == 0 ? "" : ", ")
                    .append(reason)
                    .append(' ')
                    .append(n));
            return sb.toString();
        }
    }

    private TopicPool() {}

    static Pool read(KafkaConnection kafka, String topic, Range range, Progress progress) {
        List<TopicPartition> partitions = new ArrayList<>();
        Admin admin = KafkaTopics.admin(kafka);
        try {
            KafkaTopics.describe(admin, kafka.toString(), topic)
                    .partitions()
                    .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        } finally {
            KafkaTopics.close(admin);
        }
        partitions.sort((a, b) -> Integer.compare(a.partition(), b.partition()));
        Properties config = TopicExporter.consumerConfig(kafka);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "strata-bootstrap");
        Collector rows = new Collector();
        long read = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Map<TopicPartition, Long> from =
                    range.from() == null ? Map.of() : times(consumer, partitions, range.from());
            Map<TopicPartition, Long> until =
                    range.until() == null ? Map.of() : times(consumer, partitions, range.until());
            progress.start("reading " + topic, range.records() == null ? 0 : range.records(), "records");
            for (int i = 0; i < partitions.size(); i++) {
                TopicPartition tp = partitions.get(i);
                long start = Math.max(begin.get(tp), range.fromOffset() == null ? 0 : range.fromOffset());
                start = Math.max(start, from.getOrDefault(tp, start));
                long stop = Math.min(end.get(tp), range.untilOffset() == null ? Long.MAX_VALUE : range.untilOffset());
                stop = Math.min(stop, until.getOrDefault(tp, stop));
                long quota = range.records() == null
                        ? Long.MAX_VALUE
                        : range.records() / partitions.size() + (i < range.records() % partitions.size() ? 1 : 0);
                read += readPartition(consumer, tp, start, stop, quota, rows, progress);
            }
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw new StrataException("the broker did not answer for topic '" + topic + "' on " + kafka
                    + " in time; is it up? (`strata kafka status`)");
        }
        progress.finish();
        if (rows.count == 0) {
            throw new StrataException(
                    "topic '" + topic + "' on " + kafka + " holds no valid embedding in the range asked"
                            + (rows.skipped.isEmpty()
                                    ? ""
                                    : " (skipped: " + new Pool(null, read, rows.skipped).describeSkipped() + ")")
                            + "; check the topic, --records and the offset or time range");
        }
        long otherDim = rows.skipped.getOrDefault(InvalidReason.WRONG_DIMENSION, 0L);
        if (otherDim > rows.count) {
            // the dimension comes from the first valid record: an odd one there would throw the rest away
            throw new StrataException(
                    "topic '" + topic + "': the first valid record in the range has dimension " + rows.dim + " but "
                            + otherDim + " later ones have another; start the range after it (--from-offset, --from)");
        }
        return new Pool(rows.matrix(), read, rows.skipped);
    }

    private static Map<TopicPartition, Long> times(
            KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions, Instant at) {
        Map<TopicPartition, Long> query = new java.util.HashMap<>();
        partitions.forEach(tp -> query.put(tp, at.toEpochMilli()));
        Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query);
        Map<TopicPartition, Long> out = new java.util.HashMap<>();
        // no record at or after the time: the partition's end
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        partitions.forEach(tp ->
                out.put(tp, found.get(tp) == null ? end.get(tp) : found.get(tp).offset()));
        return out;
    }

    private static long readPartition(
            KafkaConsumer<byte[], byte[]> consumer,
            TopicPartition tp,
            long start,
            long stop,
            long quota,
            Collector rows,
            Progress progress) {
        if (start >= stop || quota == 0) {
            return 0;
        }
        consumer.assign(List.of(tp));
        consumer.seek(tp, start);
        long taken = 0;
        long read = 0;
        long lastProgress = System.nanoTime();
        while (consumer.position(tp) < stop && taken < quota) {
            long before = read;
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                if (r.offset() >= stop || taken >= quota) {
                    break;
                }
                read++;
                if (rows.add(RecordDecoder.decode(r.key(), r.value(), r.headers(), rows.dim))) {
                    taken++;
                    progress.advance(1);
                }
            }
            if (read > before) {
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > STALL_LIMIT.toNanos()) {
                throw new StrataException("no record of " + tp + " arrived for " + STALL_LIMIT.toSeconds()
                        + " s while reading up to offset " + stop + "; is the broker up?");
            }
        }
        return read;
    }

    /** Valid embeddings in blocks of rows (no one array has to hold the pool while it grows). */
    private static final class Collector {
        final List<float[]> blocks = new ArrayList<>();
        final Map<InvalidReason, Long> skipped = new EnumMap<>(InvalidReason.class);
        int dim;
        long count;

        boolean add(DecodeResult d) {
            if (!d.isValid()) {
                skipped.merge(d.reason(), 1L, Long::sum);
                return false;
            }
            float[] e = d.record().embedding();
            if (dim == 0) {
                dim = e.length;
            }
            int at = (int) (count % BLOCK_ROWS);
            if (at == 0) {
                blocks.add(new float[BLOCK_ROWS * dim]);
            }
            System.arraycopy(e, 0, blocks.get(blocks.size() - 1), at * dim, dim);
            count++;
            return true;
        }

        FloatMatrix matrix() {
            if (count > FloatMatrix.MAX_ARRAY) {
                throw new StrataException(
                        count + " records are more than one bootstrap numbers (2^31 - 8); ask for fewer");
            }
            FloatMatrix m = FloatMatrix.zeros((int) count, dim);
            long done = 0;
            for (float[] block : blocks) {
                int n = (int) Math.min(BLOCK_ROWS, count - done);
                m.setRows((int) done, n, block, 0);
                done += n;
            }
            return m;
        }
    }
}
