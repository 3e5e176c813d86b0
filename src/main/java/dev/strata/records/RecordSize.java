package dev.strata.records;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.AbstractRecords;
import org.apache.kafka.common.record.CompressionType;
import org.apache.kafka.common.record.RecordBatch;

/**
 * How large a record is to a Kafka producer, and how large the job lets one be.
 *
 * <p>The producer refuses a record whose estimated size (key, value, headers and the framing of
 * a one-record batch) exceeds {@code max.request.size} with a RecordTooLargeException, which
 * fails a Flink Kafka sink and, on a retry, fails it again on the same record. Measuring with the
 * producer's own estimate makes "fits" here mean exactly "the sink can send it".
 */
public final class RecordSize {
    /**
     * The default of the job's {@code maxRecordBytes}: the Kafka producer's own default
     * {@code max.request.size} (1 MiB in kafka-clients 4.2), read from the client library so the
     * two cannot drift apart. The job sets its sinks' {@code max.request.size} to the same value,
     * so the check and the producer agree by construction. The broker's default
     * {@code message.max.bytes} (1 MiB + 12) is just above it.
     */
    public static final int DEFAULT_MAX_RECORD_BYTES =
            (Integer) ProducerConfig.configDef().defaultValues().get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);

    private RecordSize() {}

    /** The producer's upper-bound estimate of one record, as it checks against max.request.size. */
    public static int of(byte[] key, byte[] value, Iterable<Header> headers) {
        return AbstractRecords.estimateSizeInBytesUpperBound(
                RecordBatch.CURRENT_MAGIC_VALUE, CompressionType.NONE, key, value, toArray(headers));
    }

    private static Header[] toArray(Iterable<Header> headers) {
        List<Header> list = new ArrayList<>();
        if (headers != null) {
            headers.forEach(list::add);
        }
        return list.toArray(new Header[0]);
    }
}
