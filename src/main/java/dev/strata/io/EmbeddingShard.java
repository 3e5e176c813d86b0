package dev.strata.io;

import java.io.Serializable;

/**
 * One shard of an input: where it is, how its rows are stored, how many there are, where its
 * data starts, and the input-wide index of its first row.
 *
 * @param location   a local path, or a Flink file system URI (s3://..., hdfs://...)
 * @param encoding   how rows are stored (.npy float32/float16/float64, or .fvecs)
 * @param rows       rows in this shard
 * @param dim        values per row (the same for every shard of an input)
 * @param dataOffset byte offset of the first row
 * @param firstRow   index of this shard's first row among all rows of the input
 */
public record EmbeddingShard(
        String location, ShardEncoding encoding, long rows, int dim, long dataOffset, long firstRow)
        implements Serializable {

    /** Bytes one row takes in the file. */
    public long rowBytes() {
        return encoding.rowBytes(dim);
    }
}
