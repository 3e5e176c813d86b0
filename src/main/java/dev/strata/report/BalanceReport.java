package dev.strata.report;

import dev.strata.model.ClusterTree;
import dev.strata.model.LevelStats;
import java.util.ArrayList;
import java.util.List;

/**
 * What the balance report shows, computed once: the size of every cluster of every level, the
 * rows per top cluster before and (if there is a selection) after, and the top centroids' 2-D map.
 *
 * @param title       page title
 * @param model       what the model is called on the page (its file name and version)
 * @param levelSizes  {@code levelSizes.get(0)} = pool sizes of the leaves, last = top level
 * @param before      rows per top cluster before selection (the pool, or the --input file)
 * @param after       rows per top cluster after selection; null without a selection
 * @param topMap      coordinates of the top centroids on their first two principal components
 */
public record BalanceReport(
        String title,
        String model,
        List<long[]> levelSizes,
        long[] before,
        String beforeLabel,
        long[] after,
        String afterLabel,
        double[][] topMap) {

    /** The report of a model and optional counts; {@code before} null means the model's pool sizes. */
    public static BalanceReport of(
            ClusterTree tree, String modelName, long[] before, String beforeLabel, long[] after, String afterLabel) {
        List<long[]> sizes = new ArrayList<>();
        for (int t = 1; t <= tree.depth(); t++) {
            sizes.add(tree.level(t).size());
        }
        long[] b = before == null ? tree.top().size() : before;
        String bl = before == null ? "pool (model)" : beforeLabel;
        return new BalanceReport(
                "Strata balance report: " + modelName,
                modelName + " (version " + tree.version() + ")",
                sizes,
                b,
                bl,
                after,
                afterLabel,
                Pca2d.project(tree.top().centroids()));
    }

    public double entropyBefore() {
        return LevelStats.normalizedEntropy(before);
    }

    /** NaN without a selection. */
    public double entropyAfter() {
        return after == null ? Double.NaN : LevelStats.normalizedEntropy(after);
    }

    public long total(long[] counts) {
        long s = 0;
        for (long c : counts) {
            s += c;
        }
        return s;
    }
}
