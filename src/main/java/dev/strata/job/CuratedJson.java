package dev.strata.job;

import dev.strata.model.ClusterTree;
import dev.strata.records.CuratedRecord;

/**
 * Builds the curated record of an accepted item: its cluster path, distance and meta, and with
 * budgets per window the start of its window (in processing time the only place a consumer can
 * learn it: the item's window is the clock when the job assigned it).
 */
final class CuratedJson {
    private final ClusterTree tree;
    /** Null: one horizon, no window in the record. */
    private final QuotaWindows windows;

    CuratedJson(ClusterTree tree) {
        this(tree, null);
    }

    CuratedJson(ClusterTree tree, QuotaWindows windows) {
        this.tree = tree;
        this.windows = windows;
    }

    byte[] of(AssignedItem item) {
        return new CuratedRecord(
                        item.id,
                        tree.version(),
                        tree.pathOf(item.leaf),
                        (float) Math.sqrt(item.distanceSq),
                        item.meta,
                        windows == null ? null : windows.start(item.timestamp))
                .toJson();
    }
}
