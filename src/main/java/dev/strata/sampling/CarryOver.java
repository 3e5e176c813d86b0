package dev.strata.sampling;

import java.util.List;

/**
 * What a curation run had used of its target when its model was replaced, mapped through the new
 * model's tree (docs/operations.md, "Swap a model"): per leaf of the new model, the items the old
 * run consumed and those it kept, as the new model assigns them. The new job starts its counters
 * from these, so quotas already used stay used.
 *
 * @param oldModelVersion the model the old run curated with
 * @param newModelVersion the model these counts are mapped through; a job with another model refuses them
 * @param inputTopic the topic the old run consumed
 * @param groupId the old run's consumer group: the new job continues from its committed offsets
 * @param offsets per partition, the offsets of the input these counts cover ([from, until))
 * @param seen per new leaf, items consumed
 * @param kept per new leaf, items kept (found in the curated topic)
 * @param keptUnmapped kept ids whose input record was not found (deleted by retention): they count
 *     against the target but belong to no leaf
 * @param distanceSqSum the consumed items' summed squared distance to their new leaf's centroid
 *     (the drift metric's running sum)
 * @param window with budgets per window, the window these counts belong to (the one open when the
 *     run stopped; earlier windows had closed and carry nothing); null for one horizon
 */
public record CarryOver(
        String oldModelVersion,
        String newModelVersion,
        String inputTopic,
        String groupId,
        List<PartitionRange> offsets,
        long[] seen,
        long[] kept,
        long keptUnmapped,
        double distanceSqSum,
        Window window) {

    /**
     * The window a windowed run's counts belong to (event time): its length and start (epoch ms,
     * aligned to the epoch as the job aligns it), and the earliest and latest timestamps of the
     * items counted, from which the continuing job estimates the window's V when none is given.
     */
    public record Window(long sizeMillis, long start, long earliest, long latest) {}

    /** The offsets of one input partition the counts cover, from (inclusive) to until (exclusive). */
    public record PartitionRange(int partition, long from, long until) {}

    /**
     * Per new leaf, the items the old run consumed and did not keep: they went by with it (its
     * reserves stay in its savepoint), so the new run's plans no longer count on them.
     */
    public long[] passedOver() {
        long[] gone = new long[seen.length];
        for (int leaf = 0; leaf < gone.length; leaf++) {
            gone[leaf] = Math.max(0, seen[leaf] - kept[leaf]);
        }
        return gone;
    }

    /** Everything the old run kept, mapped or not: what the new run's target cap starts from. */
    public long keptTotal() {
        return keptUnmapped + sum(kept);
    }

    /** Items consumed that the new model assigned to a leaf. */
    public long seenTotal() {
        return sum(seen);
    }

    /** Kept items that the new model assigned to a leaf. */
    public long keptMapped() {
        return sum(kept);
    }

    /** {@code perLeaf} summed per top cluster, with {@code topOfLeaf} from the new model. */
    public static long[] perTop(long[] perLeaf, int[] topOfLeaf, int topClusters) {
        long[] out = new long[topClusters];
        for (int leaf = 0; leaf < perLeaf.length; leaf++) {
            out[topOfLeaf[leaf]] += perLeaf[leaf];
        }
        return out;
    }

    private static long sum(long[] a) {
        long s = 0;
        for (long v : a) {
            s += v;
        }
        return s;
    }
}
