package dev.strata.bootstrap.flink;

import java.io.Closeable;

/**
 * Row ranges of a pool of embeddings, read where a task runs: the one thing the cluster bootstrap
 * needs from the input. Narrow on purpose, so a sharded, memory-mapped or float16 reader can
 * replace {@link LocalPoolFile} without touching the job.
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
        return LocalPoolFile.open(path);
    }
}
