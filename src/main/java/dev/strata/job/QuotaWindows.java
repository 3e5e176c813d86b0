package dev.strata.job;

import java.io.Serializable;
import java.time.Duration;
import org.apache.flink.util.TimeUtils;

/**
 * Budgets per window ({@code quota.window}): tumbling windows of a fixed length aligned to the
 * epoch (a 1d window runs from 00:00 UTC), which clock puts an item in one, and the key of a
 * (window, top cluster) pair under which adaptive admission keeps that pair's state.
 */
public record QuotaWindows(long sizeMillis, WindowTime time, long latenessMillis) implements Serializable {
    /** Shortest window: watermarks advance in steps of 200 ms; shorter windows would close on a coarser clock than their length. */
    public static final long MIN_SIZE_MILLIS = 1000;
    /** Out-of-orderness the event-time watermark allows when {@code quota.allowedLateness} is not set. */
    public static final Duration DEFAULT_LATENESS = Duration.ofMinutes(1);
    /** A source partition without records this long stops holding the watermark back. */
    public static final Duration IDLENESS = Duration.ofSeconds(30);
    /** Top clusters per window in an admission key: the model's top level must have fewer. */
    public static final long TOP_SLOTS = 1L << 24;

    /** Start of the window {@code timestamp} falls in. */
    public long start(long timestamp) {
        return timestamp - Math.floorMod(timestamp, sizeMillis);
    }

    /** The last timestamp of the window starting at {@code start}: its event-time timer fires at it. */
    public long lastTimestamp(long start) {
        return start + sizeMillis - 1;
    }

    /** The admission key of a top cluster in the window of {@code start}: one key per (window, top cluster). */
    public long key(long start, int top) {
        return Math.floorDiv(start, sizeMillis) * TOP_SLOTS + top;
    }

    /** The window start of an admission key. */
    public long startOfKey(long key) {
        return Math.floorDiv(key, TOP_SLOTS) * sizeMillis;
    }

    /** The top cluster of an admission key. */
    public static int topOfKey(long key) {
        return (int) Math.floorMod(key, TOP_SLOTS);
    }

    /**
     * A duration as the job file writes it, Flink's way ({@code 30m}, {@code 6h}, {@code 1d},
     * {@code 90 s}), with its unit required: Flink reads a bare number as milliseconds, and a
     * window of "60" meaning 60 ms is not what anyone writes that for.
     *
     * @return null if {@code text} is not such a duration
     */
    public static Duration parse(String text) {
        if (text == null || text.isBlank() || text.strip().chars().allMatch(Character::isDigit)) {
            return null;
        }
        try {
            return TimeUtils.parseDuration(text);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
