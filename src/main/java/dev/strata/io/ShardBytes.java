package dev.strata.io;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/** The bytes of one open shard, read by position: mapped from a local disk or streamed from a remote file system. */
interface ShardBytes extends Closeable {
    /**
     * {@code length} bytes from {@code position}, little-endian, positioned at the first; valid
     * until the next call. Refuses (one line naming the shard) when the shard ends first.
     */
    ByteBuffer bytes(long position, int length) throws IOException;

    /** Reads into {@code buf} from {@code position} until it is full or the shard ends (for headers). */
    void readFully(ByteBuffer buf, long position) throws IOException;

    @Override
    void close() throws IOException;
}
