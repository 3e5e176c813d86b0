package dev.strata.bootstrap.flink;

import java.io.Closeable;

/**
 * Row ranges of a pool of embeddings, read where a task runs: the one thing the cluster bootstrap
 * needs from the input, kept narrow so the job does not depend on how shards are stored
 * ({@link ShardedPool} reads them as the local bootstrap does).
 */
public interface PoolReader extends Closeable {
    long rows();

    int dim();

    /** Rows {@code first .. first + count - 1} as float32, row after row, into {@code dst} from offset 0. */
    void read(long first, int count, float[] dst);

    @Override
    void close();

    /** The reader for a path as the job file names it. */
    static PoolReader open(String path) {
        return ShardedPool.open(path);
    }
}
