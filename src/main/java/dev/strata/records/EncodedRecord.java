package dev.strata.records;

import java.util.List;
import org.apache.kafka.common.header.Header;

/** Key, value and headers ready for a ProducerRecord (or a Flink sink's serializer). */
public record EncodedRecord(byte[] key, byte[] value, List<Header> headers) {}
