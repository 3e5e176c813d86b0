package dev.strata.job;

import dev.strata.model.ClusterTree;
import dev.strata.model.Metric;
import dev.strata.records.CuratedRecord;
import dev.strata.records.DecodeResult;
import dev.strata.records.InputRules;
import dev.strata.records.InvalidReason;
import dev.strata.records.RecordDecoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Decodes input records as they leave the Kafka source. It never throws: a record that cannot
 * be decoded becomes a dead-letter {@link InputEvent} with its original bytes, headers, the
 * reason and its topic-partition-offset, so one bad record cannot fail the job. An oversized
 * value is cut here already, so no later stage copies or ships more than the size limit.
 */
public final class InputDeserializer implements KafkaRecordDeserializationSchema<InputEvent> {
    private static final long serialVersionUID = 1L;

    private final InputRules rules;

    public InputDeserializer(InputRules rules) {
        this.rules = rules;
    }

    /** The rules a model and a size limit set: its dimension, its metric, and its curated records' fixed part. */
    public static InputRules rulesFor(ClusterTree tree, int maxRecordBytes) {
        return new InputRules(
                tree.dim(),
                tree.metric() == Metric.COSINE,
                maxRecordBytes,
                CuratedRecord.fixedSizeBound(tree.version(), tree.depth()));
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<InputEvent> out) {
        InputEvent event = new InputEvent();
        DecodeResult result;
        try {
            result = RecordDecoder.decode(record.key(), record.value(), record.headers(), rules);
        } catch (RuntimeException e) {
            // the decoder promises not to throw; if it ever does, the record still goes to the DLQ
            result = DecodeResult.invalid(InvalidReason.UNPARSEABLE, "decoder failed: " + e);
        }
        if (result.isValid()) {
            event.id = result.record().id();
            event.embedding = result.record().embedding();
            event.meta = result.record().meta();
        } else {
            event.reason = result.reason().name();
            event.detail = result.detail();
            event.sourceTopic = record.topic();
            event.sourcePartition = record.partition();
            event.sourceOffset = record.offset();
            event.key = record.key();
            event.value = record.value();
            if (event.value != null && event.value.length > rules.maxRecordBytes()) {
                event.originalValueSize = event.value.length;
                event.value = Arrays.copyOf(event.value, rules.maxRecordBytes());
            }
            List<String> names = new ArrayList<>();
            List<byte[]> values = new ArrayList<>();
            for (Header h : record.headers()) {
                names.add(h.key());
                values.add(h.value());
            }
            event.headerNames = names.toArray(new String[0]);
            event.headerValues = values.toArray(new byte[0][]);
        }
        out.collect(event);
    }

    @Override
    public TypeInformation<InputEvent> getProducedType() {
        return TypeInformation.of(InputEvent.class);
    }
}
