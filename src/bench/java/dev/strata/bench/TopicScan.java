package dev.strata.bench;

import dev.strata.StrataException;
import dev.strata.kafka.TopicExporter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads a whole topic once with a plain consumer (read_committed, byte[] values, one thread) and
 * nothing else: the rate a Kafka client gets from this broker on this machine, the ceiling the
 * job's source works under. It also keeps the smallest and largest record timestamp, which on the
 * curated topic are the times the job's sinks sent its first and last output.
 */
final class TopicScan {
    private static final Duration STALL_LIMIT = Duration.ofSeconds(60);

    /**
     * seconds: from the first poll to the last record; timestamps in epoch ms (producer send time);
     * sends: the records whose key is a row index (the benchmark's input and the job's curated
     * records), as {key, timestamp} pairs in the order read.
     */
    record Result(long records, long bytes, double seconds, long minTimestamp, long maxTimestamp, long[][] sends) {
        double recordsPerSecond() {
            return seconds > 0 ? records / seconds : 0;
        }
    }

    private TopicScan() {}

    static Result read(String bootstrapServers, String topic, int partitions) {
        return read(bootstrapServers, topic, partitions, false);
    }

    /** A key that is a row index in decimal, or null. */
    private static Long rowIndex(byte[] key) {
        if (key == null || key.length == 0 || key.length > 18) {
            return null;
        }
        long v = 0;
        for (byte b : key) {
            if (b < '0' || b > '9') {
                return null;
            }
            v = v * 10 + (b - '0');
        }
        return v;
    }

    /** {@link #read}, keeping each record's {row index, timestamp} when {@code keepSends}. */
    static Result read(String bootstrapServers, String topic, int partitions, boolean keepSends) {
        Properties p = TopicExporter.consumerConfig(bootstrapServers);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "strata-streambench");
        // the fetch defaults (50 MB per fetch, 1 MB per partition) suit 3 KB records; only poll size is raised
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "10000");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            List<TopicPartition> tps = IntStream.range(0, partitions)
                    .mapToObj(i -> new TopicPartition(topic, i))
                    .collect(Collectors.toList());
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            Map<TopicPartition, Long> end = consumer.endOffsets(tps);
            Set<TopicPartition> remaining =
                    tps.stream().filter(tp -> end.get(tp) > 0).collect(Collectors.toCollection(HashSet::new));
            long records = 0;
            long bytes = 0;
            long min = Long.MAX_VALUE;
            long max = Long.MIN_VALUE;
            long start = System.nanoTime();
            long last = start;
            List<long[]> sends = new ArrayList<>();
            while (!remaining.isEmpty()) {
                long n = 0;
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    n++;
                    bytes += r.serializedValueSize() + Math.max(0, r.serializedKeySize());
                    min = Math.min(min, r.timestamp());
                    max = Math.max(max, r.timestamp());
                    if (keepSends) {
                        Long row = rowIndex(r.key());
                        if (row != null) {
                            sends.add(new long[] {row, r.timestamp()});
                        }
                    }
                }
                records += n;
                remaining.removeIf(tp -> consumer.position(tp) >= end.get(tp));
                long now = System.nanoTime();
                if (n > 0) {
                    last = now;
                } else if (now - last > STALL_LIMIT.toNanos()) {
                    throw new StrataException(
                            "reading " + topic + " made no progress for " + STALL_LIMIT.toSeconds() + " s");
                }
            }
            return new Result(records, bytes, (last - start) / 1e9, min, max, sends.toArray(new long[0][]));
        }
    }
}
