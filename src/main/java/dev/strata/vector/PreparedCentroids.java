package dev.strata.vector;

/**
 * A centroid table readied for {@link NearestCentroids}: squared norms and kernel-prepared tiles.
 * Preparing costs about one pass over the centroids (a copy, a pack), which is nothing next to
 * assigning a data set but dominates a single query against 10k centroids; the streaming job
 * therefore prepares once per centroid table and reuses it for every batch. A snapshot: later
 * changes to the source matrix are not seen.
 */
public final class PreparedCentroids {
    final DotKernel kernel;
    final int tileSize;
    final int count;
    final int dim;
    final float[] normsSquared;
    final PreparedRows[] tiles;

    PreparedCentroids(DotKernel kernel, int tileSize, FloatMatrix centroids) {
        if (centroids.rows() == 0) {
            throw new IllegalArgumentException("no centroids");
        }
        this.kernel = kernel;
        this.tileSize = tileSize;
        this.count = centroids.rows();
        this.dim = centroids.dim();
        this.normsSquared = centroids.rowNormsSquared();
        int nTiles = (count + tileSize - 1) / tileSize;
        this.tiles = new PreparedRows[nTiles];
        for (int t = 0; t < nTiles; t++) {
            int first = t * tileSize;
            tiles[t] = kernel.prepare(centroids.data(), first * dim, Math.min(tileSize, count - first), dim);
        }
    }

    public int count() {
        return count;
    }

    public int dim() {
        return dim;
    }
}
