package dev.strata.job;

/**
 * One record from the input topic after decoding: either a valid item (id, embedding, meta) or a
 * dead letter that carries the original bytes and headers untouched, with the reason. A Flink
 * POJO (public fields, no-arg constructor) so it travels without Kryo.
 */
public class InputEvent {
    public String id;
    public float[] embedding;
    public String meta;

    /** Set only for dead letters; null for a valid item. */
    public String reason;

    public String detail;
    /** Where the record was read: its topic, partition and offset (the dead letter's source header). */
    public String sourceTopic;

    public int sourcePartition;
    public long sourceOffset;
    public byte[] key;
    public byte[] value;
    public String[] headerNames;
    public byte[][] headerValues;
    /** The value's length as it arrived, when the decoder already cut an oversized one; 0 otherwise. */
    public long originalValueSize;

    public InputEvent() {}

    public boolean valid() {
        return reason == null;
    }
}
