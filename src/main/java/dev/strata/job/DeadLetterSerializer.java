package dev.strata.job;

import dev.strata.records.DeadLetter;
import dev.strata.records.InvalidReason;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * Dead letters: the original key, value and headers, plus the reason headers (docs/record-format.md),
 * cut to the size limit so that no dead letter can fail the sink (and, retried, fail it again).
 */
final class DeadLetterSerializer implements KafkaRecordSerializationSchema<InputEvent> {
    private static final long serialVersionUID = 1L;

    private final String topic;
    private final int maxRecordBytes;

    DeadLetterSerializer(String topic, int maxRecordBytes) {
        this.topic = topic;
        this.maxRecordBytes = maxRecordBytes;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(InputEvent e, KafkaSinkContext ctx, Long timestamp) {
        List<Header> original = new ArrayList<>();
        if (e.headerNames != null) {
            for (int i = 0; i < e.headerNames.length; i++) {
                original.add(new RecordHeader(e.headerNames[i], e.headerValues[i]));
            }
        }
        DeadLetter dl = DeadLetter.of(
                topic,
                e.sourceTopic,
                e.sourcePartition,
                e.sourceOffset,
                e.key,
                e.value,
                original,
                InvalidReason.valueOf(e.reason),
                e.detail);
        return dl.fitTo(maxRecordBytes, e.originalValueSize).toProducerRecord();
    }
}
