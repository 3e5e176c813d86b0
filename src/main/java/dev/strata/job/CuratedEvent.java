package dev.strata.job;

/** One record for the curated topic: key = id; value = curated JSON, or null for a tombstone (Flink POJO). */
public class CuratedEvent {
    public String id;
    public byte[] value;

    public CuratedEvent() {}

    public CuratedEvent(String id, byte[] value) {
        this.id = id;
        this.value = value;
    }

    public boolean tombstone() {
        return value == null;
    }
}
