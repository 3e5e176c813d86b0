package dev.strata.kmeans;

import java.util.List;
import java.util.Locale;

/**
 * The bootstrap's overall ETA. Each step is weighed by the distance computations it costs
 * (inputs x clusters x iterations for a clustering; the sample's k-means plus one re-assignment
 * of every input for a resampling step), so level 1's steps count for nearly all of the run and
 * the upper levels' for almost nothing. The rate is measured over the steps this process ran
 * (a resumed run does not count the time of the run it resumes).
 */
final class BuildClock {
    private final double[][] weights;
    private final double total;
    private final long startNanos;
    private double before;
    private double done;

    BuildClock(int points, List<LevelSpec> levels, int iterations) {
        weights = new double[levels.size()][];
        double sum = 0;
        double inputs = points;
        for (int t = 0; t < levels.size(); t++) {
            LevelSpec spec = levels.get(t);
            int k = spec.clusters();
            int steps = spec.resamples() ? spec.resampleSteps() : 0;
            weights[t] = new double[steps + 1];
            double first = spec.splits() > 1
                    ? inputs * iterations * ((double) k / spec.splits() + spec.splits())
                    : inputs * k * iterations;
            weights[t][0] = first;
            double sample = Math.min(inputs, (double) spec.sampleSize() * k);
            for (int s = 1; s <= steps; s++) {
                weights[t][s] = sample * k * iterations + inputs * k;
            }
            for (double w : weights[t]) {
                sum += w;
            }
            inputs = k;
        }
        total = sum;
        startNanos = System.nanoTime();
    }

    /** Marks the steps before (level, step) as done by an earlier run. */
    void resumedAt(int level, int stepsDone, boolean started) {
        double w = 0;
        for (int t = 0; t < level; t++) {
            for (double x : weights[t]) {
                w += x;
            }
        }
        if (started) {
            for (int s = 0; s <= stepsDone && s < weights[level].length; s++) {
                w += weights[level][s];
            }
        }
        before = w;
    }

    /** Step {@code step} (0 = the level's first clustering) of level {@code level} is complete. */
    void stepDone(int level, int step) {
        if (step < weights[level].length) {
            done += weights[level][step];
        }
    }

    /** The rest of a level whose resampling ended early is not run. */
    void levelDone(int level, int stepsRun) {
        for (int s = stepsRun + 1; s < weights[level].length; s++) {
            before += weights[level][s];
        }
    }

    /** "overall 42% done, ETA 3 min 5 s". */
    String describe() {
        double fraction = total > 0 ? Math.min(1, (before + done) / total) : 1;
        double secs = (System.nanoTime() - startNanos) / 1e9;
        String text = String.format(Locale.ROOT, "overall %.0f%% done", 100 * fraction);
        if (done > 0 && fraction < 1) {
            double remaining = secs / done * (total - before - done);
            text += ", ETA " + duration(remaining);
        }
        return text;
    }

    static String duration(double secs) {
        long s = Math.round(Math.max(0, secs));
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return s / 60 + " min " + s % 60 + " s";
        }
        return s / 3600 + " h " + (s % 3600) / 60 + " min";
    }
}
