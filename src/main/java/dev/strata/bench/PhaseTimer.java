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
    private String current;
    private long startNanos;

    PhaseTimer() {
        super(System.err);
    }

    @Override
    public synchronized void start(String label, long total, String unit) {
        current = label;
        startNanos = System.nanoTime();
        super.start(label, total, unit);
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

    synchronized void reset() {
        seconds.clear();
        current = null;
    }
}
