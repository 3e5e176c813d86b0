package dev.strata.cli;

import dev.strata.assign.LeafAssigner;
import dev.strata.assign.LeafAssignment;
import dev.strata.model.ClusterTree;
import dev.strata.records.EmbeddingRecord;
import dev.strata.sampling.CarryOver;
import dev.strata.vector.FloatMatrix;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Counts, per leaf of the new model, the items a run consumed and those it kept: consumed items
 * arrive one by one and are assigned in blocks (the kernel's speed, not one vector at a time),
 * each kept id is matched once (a re-sent id counts as seen again, not as kept twice), and the
 * kept ids never matched are the kept-but-unmapped ones.
 */
final class CarryOverCounts implements AutoCloseable {
    private static final int BLOCK_ROWS = 4096;

    private final LeafAssigner assigner;
    private final int dim;
    private final Set<String> keptLeft;
    private final long[] seen;
    private final long[] kept;
    private final float[] block;
    private final String[] ids;
    private int buffered;
    private double distanceSqSum;

    CarryOverCounts(ClusterTree newModel, LeafAssigner assigner, Set<String> keptIds) {
        this.assigner = assigner;
        this.dim = newModel.dim();
        this.keptLeft = new HashSet<>(keptIds);
        this.seen = new long[newModel.leaves().clusters()];
        this.kept = new long[seen.length];
        this.block = new float[BLOCK_ROWS * dim];
        this.ids = new String[BLOCK_ROWS];
    }

    void add(EmbeddingRecord item) {
        System.arraycopy(item.embedding(), 0, block, buffered * dim, dim);
        ids[buffered++] = item.id();
        if (buffered == BLOCK_ROWS) {
            flush();
        }
    }

    private void flush() {
        if (buffered == 0) {
            return;
        }
        float[] rows = buffered == BLOCK_ROWS ? block : java.util.Arrays.copyOf(block, buffered * dim);
        LeafAssignment a = assigner.assign(new FloatMatrix(rows, buffered, dim));
        for (int i = 0; i < buffered; i++) {
            int leaf = a.leaf()[i];
            seen[leaf]++;
            distanceSqSum += a.distanceSq()[i];
            if (keptLeft.remove(ids[i])) {
                kept[leaf]++;
            }
        }
        buffered = 0;
    }

    /** Kept ids not matched by an added item so far (the block being filled counts as added). */
    Set<String> keptLeft() {
        flush();
        return java.util.Collections.unmodifiableSet(keptLeft);
    }

    /** The carry-over of everything added. */
    CarryOver result(
            String oldVersion, String newVersion, String topic, String group, List<CarryOver.PartitionRange> ranges) {
        flush();
        return new CarryOver(oldVersion, newVersion, topic, group, ranges, seen, kept, keptLeft.size(), distanceSqSum);
    }

    @Override
    public void close() {
        assigner.close();
    }
}
