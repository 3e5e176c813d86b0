package dev.strata.records;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * A record for the dead-letter topic: the original key and value bytes unchanged (so it can be
 * fixed and replayed), the original headers, plus three headers saying why and where from.
 * The one exception is a record over the size limit: {@link #fitTo} cuts its value.
 * Plain data so a Flink sink serializer can turn it into a ProducerRecord without this class
 * knowing about Flink.
 */
public final class DeadLetter {
    public static final String REASON_HEADER = "strata.dlq.reason";
    public static final String DETAIL_HEADER = "strata.dlq.detail";
    /** {@code <topic>-<partition>-<offset>}; parse from the right, topic names may hold '-'. */
    public static final String SOURCE_HEADER = "strata.dlq.source";
    /** Set when the value was cut to fit the size limit: the original value's length in bytes. */
    public static final String ORIGINAL_SIZE_HEADER = "strata.dlq.original-size";
    /** Set when even the key and headers did not fit: the original key's length; the original headers are left out. */
    public static final String ORIGINAL_KEY_SIZE_HEADER = "strata.dlq.original-key-size";
    /** What is kept of a key that alone does not fit: enough to recognise it. */
    static final int KEPT_KEY_BYTES = 1024;

    private final String topic;
    private final byte[] key;
    private final byte[] value;
    private final List<Header> headers;

    public DeadLetter(String topic, byte[] key, byte[] value, List<Header> headers) {
        this.topic = Objects.requireNonNull(topic, "topic");
        this.key = key;
        this.value = value;
        this.headers = List.copyOf(headers);
    }

    /**
     * The dead letter for an input record that failed to decode.
     *
     * @param dlqTopic where dead letters go, e.g. {@code embeddings.dlq}
     * @param source   the input record's topic, partition and offset
     */
    public static DeadLetter of(
            String dlqTopic,
            String sourceTopic,
            int sourcePartition,
            long sourceOffset,
            byte[] key,
            byte[] value,
            Iterable<Header> originalHeaders,
            InvalidReason reason,
            String detail) {
        List<Header> headers = new ArrayList<>();
        if (originalHeaders != null) {
            for (Header h : originalHeaders) {
                headers.add(h);
            }
        }
        headers.add(header(REASON_HEADER, reason.name()));
        headers.add(header(DETAIL_HEADER, RecordDecoder.oneLine(detail == null ? "" : detail)));
        headers.add(header(SOURCE_HEADER, source(sourceTopic, sourcePartition, sourceOffset)));
        return new DeadLetter(dlqTopic, key, value, headers);
    }

    /** The dead letter for a {@link DecodeResult} that is invalid. */
    public static DeadLetter of(
            String dlqTopic,
            String sourceTopic,
            int sourcePartition,
            long sourceOffset,
            byte[] key,
            byte[] value,
            Iterable<Header> originalHeaders,
            DecodeResult result) {
        if (result.isValid()) {
            throw new IllegalArgumentException("a valid record is not a dead letter");
        }
        return of(
                dlqTopic,
                sourceTopic,
                sourcePartition,
                sourceOffset,
                key,
                value,
                originalHeaders,
                result.reason(),
                result.detail());
    }

    /**
     * This dead letter cut to at most {@code maxBytes} as the producer counts them, so it can
     * always be written: a dead letter that does not fit would fail the sink on every retry. The
     * value is cut first; {@link #ORIGINAL_SIZE_HEADER} then says how long it was. Only when
     * the key and the headers alone leave no room are the original headers left out and the key
     * cut ({@link #ORIGINAL_KEY_SIZE_HEADER}).
     *
     * @param originalValueSize the length of the value as it arrived, when an earlier stage
     *                          already cut it; otherwise the value's length
     */
    public DeadLetter fitTo(int maxBytes, long originalValueSize) {
        int valueLength = value == null ? 0 : value.length;
        boolean cutBefore = originalValueSize > valueLength;
        if (!cutBefore && RecordSize.of(key, value, headers) <= maxBytes) {
            return this;
        }
        List<Header> kept = new ArrayList<>(headers);
        kept.add(header(ORIGINAL_SIZE_HEADER, Long.toString(Math.max(originalValueSize, valueLength))));
        byte[] k = key;
        int room = maxBytes - RecordSize.of(k, new byte[0], kept);
        if (room < 0) {
            // a key or headers this large are themselves the problem; keep what says why and where from
            kept.removeIf(h -> !h.key().startsWith(RecordDecoder.RESERVED_HEADER_PREFIX));
            if (k != null && k.length > KEPT_KEY_BYTES) {
                kept.add(header(ORIGINAL_KEY_SIZE_HEADER, Integer.toString(k.length)));
                k = Arrays.copyOf(k, KEPT_KEY_BYTES);
            }
            room = maxBytes - RecordSize.of(k, new byte[0], kept);
        }
        // the value's length prefix is a varint, up to 4 bytes longer than for the empty value
        int keep = Math.max(0, Math.min(valueLength, room - 4));
        byte[] v = value == null ? null : keep == valueLength ? value : Arrays.copyOf(value, keep);
        return new DeadLetter(topic, k, v, kept);
    }

    private static String source(String topic, int partition, long offset) {
        return topic + "-" + partition + "-" + offset;
    }

    public String topic() {
        return topic;
    }

    public byte[] key() {
        return key;
    }

    public byte[] value() {
        return value;
    }

    public List<Header> headers() {
        return headers;
    }

    /** The value of the last header with this name, as UTF-8, or null. */
    public String header(String name) {
        return RecordDecoder.lastHeader(headers, name);
    }

    public ProducerRecord<byte[], byte[]> toProducerRecord() {
        return new ProducerRecord<>(topic, null, key, value, headers);
    }

    private static Header header(String name, String value) {
        return new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
