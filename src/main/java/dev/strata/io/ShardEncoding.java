package dev.strata.io;

import dev.strata.StrataException;
import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.ShortBuffer;

/**
 * How one shard stores its rows, and how they become float32: .npy float32 (copied), float16
 * (widened exactly), float64 (narrowed, as the single-file reader always did), and .fvecs (each
 * row prefixed by its int32 dimension, which is checked on every row read).
 */
public enum ShardEncoding {
    NPY_F32(Float.BYTES, 0),
    NPY_F16(Short.BYTES, 0),
    NPY_F64(Double.BYTES, 0),
    FVECS(Float.BYTES, Integer.BYTES);

    private final int bytesPerValue;
    private final int rowPrefixBytes;

    ShardEncoding(int bytesPerValue, int rowPrefixBytes) {
        this.bytesPerValue = bytesPerValue;
        this.rowPrefixBytes = rowPrefixBytes;
    }

    /** The encoding of a .npy dtype Strata reads, or null for any other dtype. */
    static ShardEncoding ofNpyDescr(String descr) {
        return switch (descr) {
            case "<f4" -> NPY_F32;
            case "<f2" -> NPY_F16;
            case "<f8" -> NPY_F64;
            default -> null;
        };
    }

    /** Bytes one row of {@code dim} values takes in the shard. */
    public long rowBytes(int dim) {
        return rowPrefixBytes + (long) dim * bytesPerValue;
    }

    /**
     * Decodes {@code rows} rows from {@code src} (little-endian, positioned at the first) into
     * {@code dst} from {@code off}. {@code shard} and {@code firstRow} (in the shard) name a bad row.
     */
    void decode(ByteBuffer src, int rows, int dim, float[] dst, int off, String shard, long firstRow) {
        int values = rows * dim;
        switch (this) {
            case NPY_F32 -> src.asFloatBuffer().get(dst, off, values);
            case NPY_F16 -> {
                ShortBuffer s = src.asShortBuffer();
                for (int i = 0; i < values; i++) {
                    dst[off + i] = Float16.toFloat(s.get(i));
                }
            }
            case NPY_F64 -> {
                DoubleBuffer d = src.asDoubleBuffer();
                for (int i = 0; i < values; i++) {
                    dst[off + i] = (float) d.get(i);
                }
            }
            case FVECS -> {
                int base = src.position();
                int stride = (int) rowBytes(dim);
                for (int r = 0; r < rows; r++) {
                    int at = base + r * stride;
                    int d = src.getInt(at);
                    if (d != dim) {
                        throw new StrataException(
                                shard + ": vector " + (firstRow + r) + " has dimension " + d + " but the first has "
                                        + dim + "; all vectors of a .fvecs file must have the same dimension");
                    }
                    src.position(at + Integer.BYTES);
                    src.asFloatBuffer().get(dst, off + r * dim, dim);
                }
                src.position(base);
            }
            default -> throw new IllegalStateException("unhandled encoding " + this);
        }
    }
}
