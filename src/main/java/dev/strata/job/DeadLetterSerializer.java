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
        String[] src = splitSource(e.source);
        DeadLetter dl = DeadLetter.of(topic, src[0], Integer.parseInt(src[1]), Long.parseLong(src[2]), e.key, e.value,
                original, InvalidReason.valueOf(e.reason), e.detail);
        return dl.fitTo(maxRecordBytes, e.originalValueSize).toProducerRecord();
    }

    /** topic-partition-offset; the topic itself may contain dashes. */
    private static String[] splitSource(String source) {
        int b = source.lastIndexOf('-');
        int a = source.lastIndexOf('-', b - 1);
        return new String[] {source.substring(0, a), source.substring(a + 1, b), source.substring(b + 1)};
    }
}
