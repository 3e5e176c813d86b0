package dev.strata.assign;

import dev.strata.vector.FloatMatrix;

/**
 * Finds the leaf of every row: exactly ({@link ExactAssigner}) or by descending the tree from the
 * top with a beam. Rows come as they arrived (for a cosine model the assigner normalises them).
 * One instance serves one thread.
 */
public interface LeafAssigner extends AutoCloseable {
    LeafAssignment assign(FloatMatrix rows);

    @Override
    default void close() {}
}
