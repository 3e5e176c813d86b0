package dev.strata.io;

import dev.strata.StrataException;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Copies ranges of rows of an {@link EmbeddingShards} input into float[] blocks, converting
 * float16/float64 and dropping .fvecs row prefixes on the way. A range may cross shards; each
 * shard stays open (one mapped window, or one stream) until {@link #close()}. Not thread-safe:
 * open one reader per thread.
 */
public final class ShardReader implements Closeable {
    private final EmbeddingShards input;
    private final ShardStore store;
    private final int windowBytes;
    private final ShardBytes[] open;

    ShardReader(EmbeddingShards input, ShardStore store, int windowBytes) {
        this.input = input;
        this.store = store;
        this.windowBytes = windowBytes;
        this.open = new ShardBytes[input.shards().size()];
    }

    /** Copies rows [firstRow, firstRow + count) into {@code dst} from {@code dstOffset}, row-major. */
    public void read(long firstRow, int count, float[] dst, int dstOffset) {
        if (firstRow < 0 || count < 0 || firstRow + count > input.rows()) {
            throw new IndexOutOfBoundsException(
                    "rows [" + firstRow + ", " + (firstRow + count) + ") of " + input.rows());
        }
        int dim = input.dim();
        List<EmbeddingShard> shards = input.shards();
        int s = shardOf(firstRow);
        long row = firstRow;
        int done = 0;
        while (done < count) {
            EmbeddingShard shard = shards.get(s);
            long local = row - shard.firstRow();
            if (local >= shard.rows()) {
                s++;
                continue;
            }
            long rowBytes = shard.rowBytes();
            int perWindow = (int) Math.max(1, Math.min(Integer.MAX_VALUE / 2, windowBytes / rowBytes));
            int n = (int) Math.min(Math.min(count - done, shard.rows() - local), perWindow);
            try {
                ByteBuffer bytes = bytes(s).bytes(shard.dataOffset() + local * rowBytes, (int) (n * rowBytes));
                shard.encoding().decode(bytes, n, dim, dst, dstOffset + done * dim, shard.location(), local);
            } catch (IOException e) {
                throw new StrataException(
                        shard.location() + ": cannot read (" + e.getMessage() + "); check the file and the disk", e);
            }
            done += n;
            row += n;
        }
    }

    private int shardOf(long row) {
        List<EmbeddingShard> shards = input.shards();
        int lo = 0;
        int hi = shards.size() - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (shards.get(mid).firstRow() <= row) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    private ShardBytes bytes(int s) throws IOException {
        if (open[s] == null) {
            open[s] = store.open(input.shards().get(s).location(), windowBytes);
        }
        return open[s];
    }

    @Override
    public void close() {
        for (int i = 0; i < open.length; i++) {
            if (open[i] != null) {
                try {
                    open[i].close();
                } catch (IOException ignored) {
                    // read-only: nothing is lost by a failed close
                }
                open[i] = null;
            }
        }
    }
}
