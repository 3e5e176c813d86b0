package dev.strata.bench;

import dev.strata.progress.Progress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Progress that also remembers how long each step took. KMeans reports seeding and the Lloyd
 * loop as separate progress steps, so timing those steps splits a fit into its phases without
 * KMeans having to expose timers of its own.
 */
final class PhaseTimer extends Progress {
    private final Map<String, Double> seconds = new LinkedHashMap<>();
    private final Map<String, Double> fastestUnit = new LinkedHashMap<>();
    private String current;
    private long startNanos;
    private long lastAdvanceNanos;

    PhaseTimer() {
        super(System.err);
    }

    @Override
    public synchronized void start(String label, long total, String unit) {
        current = label;
        startNanos = System.nanoTime();
        lastAdvanceNanos = startNanos;
        super.start(label, total, unit);
    }

    /** Times single-unit advances too: KMeans advances once per Lloyd iteration. */
    @Override
    public synchronized void advance(long units) {
        long now = System.nanoTime();
        if (current != null && units == 1) {
            fastestUnit.merge(current, (now - lastAdvanceNanos) / 1e9, Math::min);
        }
        lastAdvanceNanos = now;
        super.advance(units);
    }

    @Override
    public synchronized void finish() {
        if (current != null) {
            seconds.merge(current, (System.nanoTime() - startNanos) / 1e9, Double::sum);
            current = null;
        }
        super.finish();
    }

    /** Total seconds of the finished steps whose label starts with {@code prefix}. */
    synchronized double seconds(String prefix) {
        double s = 0;
        for (Map.Entry<String, Double> e : seconds.entrySet()) {
            if (e.getKey().startsWith(prefix)) {
                s += e.getValue();
            }
        }
        return s;
    }

    /**
     * The fastest single unit (e.g. one Lloyd iteration) of the steps whose label starts with
     * {@code prefix}: on a shared machine the fastest is what the code can do, the total also
     * measures the neighbours.
     */
    synchronized double fastestUnit(String prefix) {
        double s = Double.POSITIVE_INFINITY;
        for (Map.Entry<String, Double> e : fastestUnit.entrySet()) {
            if (e.getKey().startsWith(prefix)) {
                s = Math.min(s, e.getValue());
            }
        }
        return s;
    }

    synchronized void reset() {
        seconds.clear();
        fastestUnit.clear();
        current = null;
    }
}
