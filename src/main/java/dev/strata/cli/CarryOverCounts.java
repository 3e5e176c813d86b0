package dev.strata.cli;

import dev.strata.assign.LeafAssigner;
import dev.strata.assign.LeafAssignment;
import dev.strata.job.QuotaWindows;
import dev.strata.model.ClusterTree;
import dev.strata.records.EmbeddingRecord;
import dev.strata.sampling.CarryOver;
import dev.strata.vector.FloatMatrix;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Counts, per leaf of the new model, the items a run consumed and those it kept: consumed items
 * arrive one by one and are assigned in blocks (the kernel's speed, not one vector at a time),
 * each kept id is matched once (a re-sent id counts as seen again, not as kept twice), and the
 * kept ids never matched are the kept-but-unmapped ones.
 *
 * <p>With budgets per window (event time) only the window of the latest timestamp counts: it is
 * the one still open when the run stopped, the others had closed and carry nothing. Partitions
 * are read one after another, so a later window can turn up at any point: the counts then start
 * again from it, and items of earlier windows are passed over (their kept ids still matched, so
 * they are not taken for unmapped ones).
 */
final class CarryOverCounts implements AutoCloseable {
    private static final int BLOCK_ROWS = 4096;

    private final LeafAssigner assigner;
    private final int dim;
    /** Kept id -> the window start its curated record names (null: one horizon, or a record without one). */
    private final Map<String, Long> keptLeft;

    private final QuotaWindows windows;
    private final long[] seen;
    private final long[] kept;
    private final float[] block;
    private final String[] ids;
    private final long[] timestamps;
    private int buffered;
    private double distanceSqSum;
    /** Windows: the window counted, and its items' earliest and latest timestamps. */
    private long window = Long.MIN_VALUE;

    private long earliest = Long.MAX_VALUE;
    private long latest = Long.MIN_VALUE;

    CarryOverCounts(ClusterTree newModel, LeafAssigner assigner, Set<String> keptIds) {
        this(newModel, assigner, windowless(keptIds), null);
    }

    /**
     * @param keptIds kept id -> the window start its curated record names, or null
     * @param windows the run's windows (event time), or null for one horizon
     */
    CarryOverCounts(ClusterTree newModel, LeafAssigner assigner, Map<String, Long> keptIds, QuotaWindows windows) {
        this.assigner = assigner;
        this.dim = newModel.dim();
        this.keptLeft = new HashMap<>(keptIds);
        this.windows = windows;
        this.seen = new long[newModel.leaves().clusters()];
        this.kept = new long[seen.length];
        this.block = new float[BLOCK_ROWS * dim];
        this.ids = new String[BLOCK_ROWS];
        this.timestamps = new long[BLOCK_ROWS];
    }

    private static Map<String, Long> windowless(Set<String> ids) {
        Map<String, Long> m = new HashMap<>();
        ids.forEach(id -> m.put(id, null));
        return m;
    }

    void add(EmbeddingRecord item) {
        add(item, 0);
    }

    /** An item consumed, with its Kafka record timestamp (which puts it in its window). */
    void add(EmbeddingRecord item, long timestamp) {
        System.arraycopy(item.embedding(), 0, block, buffered * dim, dim);
        timestamps[buffered] = timestamp;
        ids[buffered++] = item.id();
        if (buffered == BLOCK_ROWS) {
            flush();
        }
    }

    private void flush() {
        if (buffered == 0) {
            return;
        }
        float[] rows = buffered == BLOCK_ROWS ? block : Arrays.copyOf(block, buffered * dim);
        LeafAssignment a = assigner.assign(new FloatMatrix(rows, buffered, dim));
        for (int i = 0; i < buffered; i++) {
            boolean wasKept = keptLeft.containsKey(ids[i]);
            keptLeft.remove(ids[i]);
            if (windows != null) {
                long w = windows.start(timestamps[i]);
                if (w < window) {
                    continue; // a window closed before the one the run stopped in
                }
                if (w > window) {
                    restart(w);
                }
                earliest = Math.min(earliest, timestamps[i]);
                latest = Math.max(latest, timestamps[i]);
            }
            int leaf = a.leaf()[i];
            seen[leaf]++;
            distanceSqSum += a.distanceSq()[i];
            if (wasKept) {
                kept[leaf]++;
            }
        }
        buffered = 0;
    }

    private void restart(long w) {
        window = w;
        Arrays.fill(seen, 0);
        Arrays.fill(kept, 0);
        distanceSqSum = 0;
        earliest = Long.MAX_VALUE;
        latest = Long.MIN_VALUE;
    }

    /** Kept ids not matched by an added item so far (the block being filled counts as added). */
    Set<String> keptLeft() {
        flush();
        return java.util.Collections.unmodifiableSet(keptLeft.keySet());
    }

    /** The carry-over of everything added. */
    CarryOver result(
            String oldVersion, String newVersion, String topic, String group, List<CarryOver.PartitionRange> ranges) {
        flush();
        long unmapped = keptLeft.size();
        CarryOver.Window counted = null;
        if (windows != null) {
            if (window == Long.MIN_VALUE) {
                // nothing consumed is left (retention): the window of the latest kept item, if any names one
                window = keptLeft.values().stream()
                        .filter(java.util.Objects::nonNull)
                        .mapToLong(Long::longValue)
                        .max()
                        .orElse(0);
                earliest = window;
                latest = window;
            }
            // a kept id without its input record is the open window's when its curated record says so;
            // one that names no window (a run from before records named theirs) counts, to be safe
            unmapped = keptLeft.values().stream()
                    .filter(w -> w == null || w == window)
                    .count();
            counted = new CarryOver.Window(windows.sizeMillis(), window, earliest, latest);
        }
        return new CarryOver(
                oldVersion, newVersion, topic, group, ranges, seen, kept, unmapped, distanceSqSum, counted);
    }

    @Override
    public void close() {
        assigner.close();
    }
}
