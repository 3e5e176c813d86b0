package dev.strata.io;

import dev.strata.StrataException;
import dev.strata.vector.FloatMatrix;
import java.io.IOException;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The embeddings of one input, as a list of shards read in place: a single .npy/.fvecs file, a
 * folder of them, or a glob of names (LAION-style {@code img_emb_*.npy}), in natural name order.
 * Local shards are memory-mapped, remote ones ({@code s3://}, {@code hdfs://}, ... through Flink's
 * file systems) streamed; no shard is ever copied whole into the heap.
 *
 * <p>Opening checks every shard's header against the first and stops with one line naming the
 * shard and the fix: a dtype other than float32/float16/float64, fortran order, a shape that is
 * not (rows, dim), a dimension different from the first shard's, or a file shorter than its
 * header promises. Rows are numbered across shards in order (long: there is no 2^31 ceiling);
 * {@link #reader()} copies any range of them into a float[] block.
 *
 * <p>This is the reading API of the bootstrap, local or distributed: it is Flink-free apart from
 * Flink's {@code FileSystem} for remote paths, and serializable, so a Flink job can list the
 * shards once and hand row ranges to its tasks, each opening its own {@link ShardReader}.
 */
public final class EmbeddingShards implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Mapped window per shard: large enough to amortise mapping, small next to a 64-bit address space. */
    public static final int DEFAULT_WINDOW_BYTES = 1 << 28;

    private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*://.*");

    private final String input;
    private final ShardStore store;
    private final List<EmbeddingShard> shards;
    private final long rows;
    private final int dim;

    private EmbeddingShards(String input, ShardStore store, List<EmbeddingShard> shards) {
        this.input = input;
        this.store = store;
        this.shards = Collections.unmodifiableList(shards);
        EmbeddingShard last = shards.get(shards.size() - 1);
        this.rows = last.firstRow() + last.rows();
        this.dim = shards.get(0).dim();
    }

    /**
     * Lists and checks the shards {@code input} names: a local path (file, folder, or a glob in the
     * last component), a {@code file://} URI, or a URI of another Flink file system.
     */
    public static EmbeddingShards open(String input) {
        if (SCHEME.matcher(input).matches()) {
            if (input.startsWith("file://")) {
                return open(input, Path.of(java.net.URI.create(input)).toString(), new LocalShardStore());
            }
            FlinkShardStore.initialize();
            return open(input, input, new FlinkShardStore());
        }
        return open(input, input, new LocalShardStore());
    }

    public static EmbeddingShards open(Path input) {
        return open(input.toString());
    }

    /** With an explicit store: tests read local files through Flink's file system (the streamed path). */
    static EmbeddingShards open(String input, String location, ShardStore store) {
        List<String> files;
        try {
            files = store.list(location);
        } catch (IOException e) {
            throw new StrataException(
                    input + ": cannot list (" + e.getMessage() + "); check the path and permissions", e);
        }
        List<EmbeddingShard> shards = new ArrayList<>();
        long firstRow = 0;
        for (String file : files) {
            EmbeddingShard s = probe(store, file, firstRow);
            if (!shards.isEmpty() && s.dim() != shards.get(0).dim()) {
                EmbeddingShard first = shards.get(0);
                throw new StrataException(file + ": dimension " + s.dim() + " differs from the first shard's ("
                        + first.location() + ": " + first.dim()
                        + "); every shard must hold embeddings of the same model,"
                        + " move this one out of the input");
            }
            shards.add(s);
            firstRow += s.rows();
        }
        if (firstRow == 0) {
            throw new StrataException(input + ": holds no rows; expected a (rows, dim) array with rows >= 1");
        }
        return new EmbeddingShards(input, store, shards);
    }

    private static EmbeddingShard probe(ShardStore store, String file, long firstRow) {
        String lower = file.toLowerCase(Locale.ROOT);
        boolean npy = lower.endsWith(".npy");
        if (!npy && !lower.endsWith(".fvecs")) {
            throw new StrataException(file + ": unknown file type; expected a .npy or .fvecs file");
        }
        try (ShardBytes bytes = store.open(file, 1 << 16)) {
            long size = store.size(file);
            return npy ? probeNpy(bytes, size, file, firstRow) : probeFvecs(bytes, size, file, firstRow);
        } catch (IOException e) {
            throw new StrataException(file + ": cannot read (" + e.getMessage() + "); check the file and the disk", e);
        }
    }

    private static EmbeddingShard probeNpy(ShardBytes bytes, long size, String file, long firstRow) throws IOException {
        NpyHeader h = NpyHeader.read(bytes::readFully, file);
        ShardEncoding enc = ShardEncoding.ofNpyDescr(h.descr());
        if (enc == null) {
            throw new StrataException(file + ": "
                    + NpyReader.refuseDtype(h.descr(), "float32 ('<f4'), float16 ('<f2')" + " or float64 ('<f8')")
                    + "; save embeddings with arr.astype('<f4')");
        }
        if (h.shape().length != 2) {
            throw new StrataException(file + ": array is " + h.shape().length + "-D " + h.shapeText()
                    + "; expected a 2-D (rows, dim) array; save it with arr.reshape(len(arr), -1)");
        }
        if (h.fortranOrder()) {
            throw new StrataException(file + ": fortran_order=True (column-major) is not supported;"
                    + " save with np.save(path, np.ascontiguousarray(arr))");
        }
        long rows = h.shape()[0];
        long dim = h.shape()[1];
        if (dim == 0 || dim > Integer.MAX_VALUE / 8) {
            throw new StrataException(
                    file + ": array " + h.shapeText() + " has " + dim + " columns; expected 1 <= dim < 2^28");
        }
        long promised = rows * enc.rowBytes((int) dim);
        long held = Math.max(0, size - h.dataOffset());
        if (held < promised) {
            throw new StrataException(file + ": holds " + held + " bytes of data, header promises " + promised + " for "
                    + h.shapeText() + " (truncated?); copy or save the file again");
        }
        return new EmbeddingShard(file, enc, rows, (int) dim, h.dataOffset(), firstRow);
    }

    private static EmbeddingShard probeFvecs(ShardBytes bytes, long size, String file, long firstRow)
            throws IOException {
        if (size < Integer.BYTES) {
            throw new StrataException(file + ": " + size
                    + " bytes is too short for a .fvecs record (empty or truncated);" + " write the file again");
        }
        ByteBuffer first = ByteBuffer.allocate(Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.readFully(first, 0);
        int dim = first.getInt(0);
        long stride = ShardEncoding.FVECS.rowBytes(Math.max(dim, 0));
        if (dim <= 0 || dim > Integer.MAX_VALUE / 8 || stride > size) {
            throw new StrataException(file + ": the first vector claims dimension " + dim + ", which does not fit a "
                    + size + "-byte file; expected little-endian .fvecs (int32 dim, then dim float32 values)");
        }
        if (size % stride != 0) {
            throw new StrataException(file + ": the last vector is cut short (" + size % stride + " of " + stride
                    + " bytes; truncated?); copy or write the file again");
        }
        return new EmbeddingShard(file, ShardEncoding.FVECS, size / stride, dim, 0, firstRow);
    }

    /** What --input named. */
    public String input() {
        return input;
    }

    public List<EmbeddingShard> shards() {
        return shards;
    }

    /** Rows over all shards. */
    public long rows() {
        return rows;
    }

    public int dim() {
        return dim;
    }

    /** A reader of row ranges with the default window; one per thread. */
    public ShardReader reader() {
        return reader(DEFAULT_WINDOW_BYTES);
    }

    /** A reader whose mapped windows (and streamed blocks) hold at most {@code windowBytes}; tests force many windows. */
    public ShardReader reader(int windowBytes) {
        return new ShardReader(this, store, windowBytes);
    }

    /** "3 shards, 2,500,000 x 1024 (float16)" for progress lines. */
    public String describe() {
        String encodings = shards.stream()
                .map(s -> s.encoding().name().toLowerCase(Locale.ROOT).replace('_', ' '))
                .distinct()
                .reduce((a, b) -> a + ", " + b)
                .orElse("");
        return String.format(
                Locale.ROOT,
                "%d shard%s, %,d x %d (%s)",
                shards.size(),
                shards.size() == 1 ? "" : "s",
                rows,
                dim,
                encodings);
    }

    /**
     * All rows in the heap, for the bootstrap's k-means (which passes over them many times): one
     * array when rows x dim fits one, chunks of whole rows when it does not, so there is no 2^31
     * ceiling on the floats, only on the row count.
     */
    public FloatMatrix readAll() {
        checkRowCount();
        return readInto(FloatMatrix.zeros((int) rows, dim));
    }

    /** The same in chunks of {@code rowsPerChunk} rows, whatever the size (tests of the chunked path). */
    public FloatMatrix readAll(int rowsPerChunk) {
        checkRowCount();
        return readInto(FloatMatrix.chunked((int) rows, dim, rowsPerChunk));
    }

    private void checkRowCount() {
        if (rows > FloatMatrix.MAX_ARRAY) {
            throw new StrataException(input + ": " + rows + " rows are more than one bootstrap numbers (2^31 - 8);"
                    + " bootstrap on a subset of the shards");
        }
    }

    private FloatMatrix readInto(FloatMatrix m) {
        try (ShardReader r = reader()) {
            int first = 0;
            while (first < m.rows()) {
                int n = m.contiguousRows(first);
                r.read(first, n, m.array(first), m.offset(first));
                first += n;
            }
        }
        return m;
    }
}
