package dev.strata.job;

import dev.strata.sampling.Uniform;

/**
 * Refused candidates one leaf keeps for the top-up at the end of the input (Flink POJO; keyed map
 * state of adaptive admission, one entry per leaf that has any). It keeps the candidates with the
 * lowest priorities, a hash of the id independent of the admission's draw, so whatever the top-up
 * takes from it is a uniform sample of the leaf's refused items. Bounded by the caller's room (the
 * leaf's unused quota, see {@link TopAdmission#reserveRoom}); sorted by priority, lowest first.
 */
public class LeafReserve {
    public double[] priorities = new double[0];
    public String[] ids = new String[0];
    public byte[][] values = new byte[0][];

    /** Salt of the priority hash, so that it is independent of the admission's draw on the same id. */
    private static final long SALT = 0x5A17E5E7L;

    public LeafReserve() {}

    /** The candidate's priority in the reserve: uniform, from (seed, id), so a replay ranks the same. */
    public static double priority(long seed, String id) {
        return Uniform.of(seed ^ SALT, id);
    }

    public int size() {
        return priorities.length;
    }

    /** The highest priority held, or +infinity when empty (anything enters an empty reserve with room). */
    public double worst() {
        return priorities.length == 0 ? Double.POSITIVE_INFINITY : priorities[priorities.length - 1];
    }

    /**
     * Whether {@link #offer} would keep a candidate, from the two numbers adaptive admission keeps
     * in its counters, so that most refused items are decided without reading the reserve.
     */
    public static boolean wouldKeep(int size, double worst, long room, double priority) {
        return room > 0 && (size < room || priority < worst);
    }

    /**
     * Keeps the candidate if there is room or it ranks below the worst held, then trims to
     * {@code room}. Returns whether anything changed.
     */
    public boolean offer(double priority, String id, byte[] value, long room) {
        int n = priorities.length;
        boolean changed = false;
        if (wouldKeep(n, worst(), room, priority)) {
            int at = 0;
            while (at < n && priorities[at] <= priority) {
                at++;
            }
            priorities = insert(priorities, at, priority);
            ids = insert(ids, at, id);
            values = insert(values, at, value);
            changed = true;
        }
        return trim(room) || changed;
    }

    /** Drops the highest priorities beyond {@code room}; returns whether anything was dropped. */
    public boolean trim(long room) {
        int keep = (int) Math.max(0, Math.min(priorities.length, room));
        if (keep == priorities.length) {
            return false;
        }
        priorities = java.util.Arrays.copyOf(priorities, keep);
        ids = java.util.Arrays.copyOf(ids, keep);
        values = java.util.Arrays.copyOf(values, keep);
        return true;
    }

    /** Removes and returns the {@code k} lowest-priority candidates as curated events. */
    public CuratedEvent[] take(int k) {
        int n = Math.min(k, priorities.length);
        CuratedEvent[] out = new CuratedEvent[n];
        for (int i = 0; i < n; i++) {
            out[i] = new CuratedEvent(ids[i], values[i]);
        }
        priorities = java.util.Arrays.copyOfRange(priorities, n, priorities.length);
        ids = java.util.Arrays.copyOfRange(ids, n, ids.length);
        values = java.util.Arrays.copyOfRange(values, n, values.length);
        return out;
    }

    private static double[] insert(double[] a, int at, double v) {
        double[] b = new double[a.length + 1];
        System.arraycopy(a, 0, b, 0, at);
        b[at] = v;
        System.arraycopy(a, at, b, at + 1, a.length - at);
        return b;
    }

    private static <T> T[] insert(T[] a, int at, T v) {
        T[] b = java.util.Arrays.copyOf(a, a.length + 1);
        System.arraycopy(a, at, b, at + 1, a.length - at);
        b[at] = v;
        return b;
    }
}
