package dev.strata.bootstrap.flink;

import dev.strata.io.EmbeddingShards;
import dev.strata.io.ShardReader;

/**
 * The pool as the local bootstrap reads it ({@link EmbeddingShards}): one .npy/.fvecs file, a
 * folder or a glob of shards (float32, float16, float64), on a volume every TaskManager mounts or
 * on a Flink file system (s3://, hdfs://, with its plugin on the cluster). Each task opens its own
 * reader and copies only the rows of its slice; local shards are memory-mapped, remote ones
 * streamed, none is read whole.
 */
final class ShardedPool implements PoolReader {
    private final EmbeddingShards shards;
    private final ShardReader reader;

    private ShardedPool(EmbeddingShards shards) {
        this.shards = shards;
        this.reader = shards.reader();
    }

    static ShardedPool open(String path) {
        return new ShardedPool(EmbeddingShards.open(path));
    }

    @Override
    public long rows() {
        return shards.rows();
    }

    @Override
    public int dim() {
        return shards.dim();
    }

    @Override
    public void read(long first, int count, float[] dst) {
        reader.read(first, count, dst, 0);
    }

    @Override
    public void close() {
        reader.close();
    }
}
