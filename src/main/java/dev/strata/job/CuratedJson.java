package dev.strata.job;

import dev.strata.model.ClusterTree;
import dev.strata.records.CuratedRecord;

/** Builds the curated record of an accepted item: its cluster path, distance and meta. */
final class CuratedJson {
    private final ClusterTree tree;

    CuratedJson(ClusterTree tree) {
        this.tree = tree;
    }

    byte[] of(AssignedItem item) {
        return new CuratedRecord(
                        item.id, tree.version(), tree.pathOf(item.leaf), (float) Math.sqrt(item.distanceSq), item.meta)
                .toJson();
    }
}
