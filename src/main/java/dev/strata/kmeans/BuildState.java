package dev.strata.kmeans;

import dev.strata.vector.FloatMatrix;
import java.util.List;

/**
 * Where a hierarchical bootstrap stands after a completed step: the levels finished so far, and
 * within the current level its clustering after {@code stepsDone} resampling steps (null before
 * the level's first clustering). Every step's randomness is derived from (seed, level, step), so
 * this is all a resumed run needs to continue exactly as the interrupted one would have.
 *
 * @param centroids      centroids of each finished level
 * @param assignments    each finished level's assignment of its inputs
 * @param sizes          pool rows under each cluster of each finished level
 * @param level          the level in progress (0-based); equals the number of finished levels
 * @param current        the level's clustering so far, or null when it has not started
 * @param stepsDone      resampling steps of the level completed (0 after its first clustering)
 * @param sampleSize     the level's sample size in use (a collapse may have raised it)
 * @param leafDistanceSq the pool's mean squared distance to its leaf, once level 1 is finished (NaN before)
 */
record BuildState(
        List<FloatMatrix> centroids,
        List<int[]> assignments,
        List<long[]> sizes,
        int level,
        KMeansResult current,
        int stepsDone,
        int sampleSize,
        double leafDistanceSq) {}
