package dev.strata.bootstrap.flink;

import dev.strata.model.Metric;
import dev.strata.vector.FloatMatrix;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.metrics.Counter;

/**
 * One task's contiguous share of the pool (rows i n / P .. (i + 1) n / P), read block by block:
 * every pass reads the whole pool exactly once across its tasks, and counts what it read (the
 * `rowsScanned` accumulator the client reports passes from, and a metric).
 */
final class SliceScanner {
    static final int BLOCK_ROWS = 4096;
    static final String ROWS_SCANNED = "rowsScanned";
    static final String PASSES = "passes";

    interface Block {
        /** @param first the pool row of the block's row 0 */
        void accept(long first, FloatMatrix rows);
    }

    private SliceScanner() {}

    static void scan(RuntimeContext ctx, String input, Metric metric, Block block) {
        int tasks = ctx.getTaskInfo().getNumberOfParallelSubtasks();
        int task = ctx.getTaskInfo().getIndexOfThisSubtask();
        LongCounter scanned = counter(ctx, ROWS_SCANNED);
        Counter metricCount = ctx.getMetricGroup().addGroup("strata").counter(ROWS_SCANNED);
        if (task == 0) {
            counter(ctx, PASSES).add(1);
        }
        try (PoolReader pool = PoolReader.open(input)) {
            long n = pool.rows();
            int d = pool.dim();
            long from = n * task / tasks;
            long to = n * (task + 1) / tasks;
            float[] buf = new float[BLOCK_ROWS * d];
            for (long at = from; at < to; at += BLOCK_ROWS) {
                int count = (int) Math.min(BLOCK_ROWS, to - at);
                float[] data = count == BLOCK_ROWS ? buf : new float[count * d];
                pool.read(at, count, data);
                if (metric == Metric.COSINE) {
                    FloatMatrix.normalizeRows(data, count, d);
                }
                block.accept(at, new FloatMatrix(data, count, d));
                scanned.add(count);
                metricCount.inc(count);
            }
        }
    }

    private static LongCounter counter(RuntimeContext ctx, String name) {
        LongCounter c = (LongCounter) (Object) ctx.getAccumulator(name);
        if (c == null) {
            c = new LongCounter();
            ctx.addAccumulator(name, c);
        }
        return c;
    }
}
