package dev.strata.kafka;

import dev.strata.StrataException;
import dev.strata.progress.Progress;
import dev.strata.records.EmbeddingRecord;
import dev.strata.records.EncodedRecord;
import dev.strata.records.RecordEncoder;
import dev.strata.records.WireFormat;
import dev.strata.vector.FloatMatrix;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A crawler stand-in: sends every row of a matrix to a topic as one embedding record
 * (id and key = the row index in decimal), optionally paced to a rate, with a progress line.
 */
public final class EmbeddingPublisher {
    private final Producer<byte[], byte[]> producer;
    private final String topic;
    private final WireFormat format;
    private final double recordsPerSecond;
    private final Progress progress;

    /** What was sent. */
    public record Summary(long records, long bytes, double seconds) {
        public double recordsPerSecond() {
            return seconds > 0 ? records / seconds : 0;
        }
    }

    /**
     * @param recordsPerSecond pace of sending; 0 sends as fast as the broker takes them
     */
    public EmbeddingPublisher(
            Producer<byte[], byte[]> producer,
            String topic,
            WireFormat format,
            double recordsPerSecond,
            Progress progress) {
        if (recordsPerSecond < 0 || Double.isNaN(recordsPerSecond)) {
            throw new StrataException(
                    "rate must be 0 (unlimited) or a positive number of records per second, got " + recordsPerSecond);
        }
        this.producer = Objects.requireNonNull(producer);
        this.topic = Objects.requireNonNull(topic);
        this.format = Objects.requireNonNull(format);
        this.recordsPerSecond = recordsPerSecond;
        this.progress = Objects.requireNonNull(progress);
    }

    /** Producer settings for bulk sends of ~3 KB values: acks=all, idempotent, batched. */
    public static Properties producerConfig(String bootstrapServers) {
        return producerConfig(KafkaConnection.plain(bootstrapServers));
    }

    /** The same on top of the connection's client properties (security, config providers). */
    public static Properties producerConfig(KafkaConnection kafka) {
        Properties p = kafka.clientProperties();
        p.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "strata-produce");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        // the 16 KB default batch holds five 768-d vectors; bigger batches cut requests 30x
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(512 * 1024));
        p.put(ProducerConfig.LINGER_MS_CONFIG, "10");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "30000");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return p;
    }

    /**
     * Sends all rows and flushes.
     *
     * @param labels one label per row, sent as meta {@code {"label":N}}; null for empty meta
     */
    public Summary publish(FloatMatrix matrix, int[] labels) {
        if (labels != null && labels.length != matrix.rows()) {
            throw new StrataException("labels file has " + labels.length + " labels for " + matrix.rows()
                    + " embeddings; give the labels of the same data set");
        }
        AtomicReference<Exception> failure = new AtomicReference<>();
        AtomicLong acked = new AtomicLong();
        long bytes = 0;
        long start = System.nanoTime();
        progress.start("produce " + topic, matrix.rows(), "records");
        for (int i = 0; i < matrix.rows(); i++) {
            if (failure.get() != null) {
                break;
            }
            pace(i, start);
            String meta = labels == null ? "{}" : "{\"label\":" + labels[i] + "}";
            EncodedRecord enc =
                    RecordEncoder.encode(new EmbeddingRecord(Integer.toString(i), matrix.row(i), meta), format);
            bytes += enc.key().length + enc.value().length;
            producer.send(new ProducerRecord<>(topic, null, enc.key(), enc.value(), enc.headers()), (md, e) -> {
                if (e != null) {
                    failure.compareAndSet(null, e);
                } else {
                    acked.incrementAndGet();
                }
            });
            progress.advance(1);
        }
        producer.flush();
        progress.finish();
        Exception e = failure.get();
        if (e != null) {
            throw new StrataException(
                    "sending to topic '" + topic + "' failed after " + acked.get() + " records: " + e.getMessage(), e);
        }
        return new Summary(acked.get(), bytes, (System.nanoTime() - start) / 1e9);
    }

    /** Sleeps until record i is due; due times come from the start so pauses do not accumulate drift. */
    private void pace(int i, long startNanos) {
        if (recordsPerSecond <= 0) {
            return;
        }
        long due = startNanos + (long) (i * 1e9 / recordsPerSecond);
        long wait = due - System.nanoTime();
        if (wait > 1_000_000) {
            try {
                TimeUnit.NANOSECONDS.sleep(wait);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new StrataException("interrupted while producing to '" + topic + "'");
            }
        }
    }
}
