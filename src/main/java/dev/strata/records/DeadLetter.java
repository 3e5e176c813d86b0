package dev.strata.records;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * A record for the dead-letter topic: the original key and value bytes unchanged (so it can be
 * fixed and replayed), the original headers, plus three headers saying why and where from.
 * Plain data so a Flink sink serializer can turn it into a ProducerRecord without this class
 * knowing about Flink.
 */
public final class DeadLetter {
    public static final String REASON_HEADER = "strata.dlq.reason";
    public static final String DETAIL_HEADER = "strata.dlq.detail";
    /** {@code <topic>-<partition>-<offset>}; parse from the right, topic names may hold '-'. */
    public static final String SOURCE_HEADER = "strata.dlq.source";

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
    public static DeadLetter of(String dlqTopic, String sourceTopic, int sourcePartition, long sourceOffset,
                                byte[] key, byte[] value, Iterable<Header> originalHeaders,
                                InvalidReason reason, String detail) {
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
    public static DeadLetter of(String dlqTopic, String sourceTopic, int sourcePartition, long sourceOffset,
                                byte[] key, byte[] value, Iterable<Header> originalHeaders, DecodeResult result) {
        if (result.isValid()) {
            throw new IllegalArgumentException("a valid record is not a dead letter");
        }
        return of(dlqTopic, sourceTopic, sourcePartition, sourceOffset, key, value, originalHeaders,
                result.reason(), result.detail());
    }

    public static String source(String topic, int partition, long offset) {
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
