package dev.strata.job;

import dev.strata.Labelled;

/** Which clock puts an item in its quota window ({@code quota.windowTime}). */
public enum WindowTime implements Labelled {
    /** The Kafka record's timestamp; windows close when the watermark passes their end. */
    EVENT,
    /** The wall clock when the item is assigned to its leaf; windows close when that clock passes their end. */
    PROCESSING
}
