package dev.strata.model;

import dev.strata.io.NpzWriter;
import java.nio.file.Path;

/**
 * The cluster tree as a .npz for numpy: per level L (1 = leaves, depth = top)
 * {@code level{L}_centroids} (k x d float32), {@code level{L}_parent} (int64, index into level
 * L+1, -1 on the top level) and {@code level{L}_size} (int64 pool rows beneath each cluster).
 * int64 rather than the model file's int32 parents: numpy indexes with int64 (intp), so
 * {@code parent[leaf]} chains need no cast on the Python side.
 */
public final class ModelNpz {
    private ModelNpz() {}

    public static String centroids(int level) {
        return "level" + level + "_centroids";
    }

    public static String parent(int level) {
        return "level" + level + "_parent";
    }

    public static String size(int level) {
        return "level" + level + "_size";
    }

    public static void write(ClusterTree tree, Path file) {
        try (NpzWriter npz = NpzWriter.create(file)) {
            for (int t = 1; t <= tree.depth(); t++) {
                ClusterLevel level = tree.level(t);
                npz.float32(centroids(t), level.centroids())
                        .int64(parent(t), level.parent())
                        .int64(size(t), level.size());
            }
        }
    }
}
