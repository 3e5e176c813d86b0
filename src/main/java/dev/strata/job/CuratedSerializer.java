package dev.strata.job;

import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Curated records keyed by item id; a null value is a tombstone for compaction. */
final class CuratedSerializer implements KafkaRecordSerializationSchema<CuratedEvent> {
    private static final long serialVersionUID = 1L;

    private final String topic;

    CuratedSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(CuratedEvent e, KafkaSinkContext ctx, Long timestamp) {
        return new ProducerRecord<>(topic, e.id.getBytes(StandardCharsets.UTF_8), e.value);
    }
}
