package dev.strata.io;

import java.io.IOException;
import java.io.Serializable;
import java.util.List;

/**
 * Where an input's shards live, and how they are opened: the local disk (memory-mapped) or one of
 * Flink's file systems (streamed). Serializable so a shard list can travel to Flink tasks.
 */
interface ShardStore extends Serializable {
    /** The shard files an input names (a file, a directory, or a glob of names), in name order. */
    List<String> list(String input) throws IOException;

    long size(String location) throws IOException;

    ShardBytes open(String location, int windowBytes) throws IOException;
}
