package dev.strata.job;

/**
 * V of a window when the job file leaves it to the stream (docs/algorithm.md section 5, "V from
 * the arrival rate"): what has arrived plus the arrival rate times what is left of the window.
 * The rate is the last closed window's (a crawl's rate changes slowly from one window to the
 * next, and the last window's rate is measured over a whole window), or in the first window the
 * rate of this window so far. Never below what has arrived.
 */
public final class WindowVolume {
    /** Estimates stay far below where the water-filling's sums of longs could overflow. */
    static final long MAX_VOLUME = 1L << 50;

    private WindowVolume() {}

    /**
     * @param seen     items of the window so far
     * @param earliest the earliest timestamp among them
     * @param latest   the latest timestamp among them
     * @param end      the window's end (exclusive)
     * @param lastRate items per millisecond of the last closed window, or NaN when none has closed
     */
    public static long estimate(long seen, long earliest, long latest, long end, double lastRate) {
        if (seen == 0) {
            // no timestamps to measure what is left from; the planner plans only once items have come
            return 0;
        }
        double rate = Double.isNaN(lastRate) ? rateSoFar(seen, earliest, latest) : lastRate;
        double left = Math.max(0, end - 1 - latest);
        return Math.min(MAX_VOLUME, seen + Math.round(rate * left));
    }

    /**
     * The window's rate so far, over the time from its first item to its latest: from the first
     * item, not the window's start, so a job that starts halfway through a window does not read
     * the half it never saw as a quiet half.
     */
    static double rateSoFar(long seen, long earliest, long latest) {
        return seen == 0 ? 0 : seen / (double) Math.max(1, latest - earliest);
    }

    /** The rate of a window that has closed: its items over the time from its first item to its end. */
    public static double closedRate(long seen, long earliest, long end) {
        return seen == 0 ? 0 : seen / (double) Math.max(1, end - earliest);
    }
}
