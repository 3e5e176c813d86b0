package dev.strata.io;

import dev.strata.StrataException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * A shard on one of Flink's file systems (s3://, hdfs://, ...), read as a stream: object stores
 * cannot be mapped, and reads are sequential in practice (blocks of rows in order), so a seek
 * happens only when a caller jumps. One reused heap buffer holds the block asked for.
 */
final class StreamedShardBytes implements ShardBytes {
    private final String location;
    private final FSDataInputStream in;
    private ByteBuffer buffer = ByteBuffer.allocate(0);

    StreamedShardBytes(FileSystem fs, Path path) throws IOException {
        this.location = path.toString();
        this.in = fs.open(path);
    }

    @Override
    public ByteBuffer bytes(long position, int length) throws IOException {
        if (buffer.capacity() < length) {
            buffer = ByteBuffer.allocate(length);
        }
        buffer.clear().limit(length);
        readFully(buffer, position);
        if (buffer.hasRemaining()) {
            throw new StrataException(
                    location + ": the file ended early while reading (changed while read?); read it again");
        }
        buffer.flip();
        return buffer.slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public void readFully(ByteBuffer buf, long position) throws IOException {
        if (in.getPos() != position) {
            in.seek(position);
        }
        while (buf.hasRemaining()) {
            int n = in.read(buf.array(), buf.arrayOffset() + buf.position(), buf.remaining());
            if (n < 0) {
                return;
            }
            buf.position(buf.position() + n);
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
