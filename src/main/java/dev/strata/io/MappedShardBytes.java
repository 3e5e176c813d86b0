package dev.strata.io;

import dev.strata.StrataException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * A local shard read through memory-mapped windows (FileChannel.map takes at most 2 GiB at a
 * time, and a shard may be larger): the page cache holds the data, the heap never does. Each
 * window starts at the first byte asked for, so a block of whole rows never straddles two.
 */
final class MappedShardBytes implements ShardBytes {
    private final Path file;
    private final FileChannel channel;
    private final long size;
    private final int windowBytes;
    private MappedByteBuffer window;
    private long windowStart;

    MappedShardBytes(Path file, int windowBytes) {
        this.file = file;
        this.channel = ChannelReads.open(file);
        this.windowBytes = windowBytes;
        try {
            this.size = channel.size();
        } catch (IOException e) {
            closeQuietly();
            throw ChannelReads.failed(file, e);
        }
    }

    @Override
    public ByteBuffer bytes(long position, int length) throws IOException {
        if (position + length > size) {
            throw new StrataException(file + ": the file ended early while reading (changed on disk?); read it again");
        }
        if (window == null || position < windowStart || position + length > windowStart + window.capacity()) {
            long span = Math.min(size - position, Math.max(windowBytes, length));
            window = channel.map(FileChannel.MapMode.READ_ONLY, position, span);
            window.order(ByteOrder.LITTLE_ENDIAN);
            windowStart = position;
        }
        int from = (int) (position - windowStart);
        return window.slice(from, length).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public void readFully(ByteBuffer buf, long position) throws IOException {
        ChannelReads.readFully(channel, buf, position);
    }

    @Override
    public void close() throws IOException {
        window = null;
        channel.close();
    }

    private void closeQuietly() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // already failing with the more useful error
        }
    }
}
