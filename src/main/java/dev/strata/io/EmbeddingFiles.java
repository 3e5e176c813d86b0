package dev.strata.io;

import dev.strata.StrataException;
import dev.strata.vector.FloatMatrix;
import java.nio.file.Path;
import java.util.Locale;

/** The one entry point for embedding files: picks the format from the file extension. */
public final class EmbeddingFiles {
    private EmbeddingFiles() {}

    /** Reads a .npy (2-D float32/float64) or .fvecs file as a float32 matrix. */
    public static FloatMatrix read(Path file) {
        switch (format(file)) {
            case NPY:
                return NpyReader.read(file);
            case FVECS:
                return FvecsReader.read(file);
            default:
                throw new IllegalStateException("unhandled format for " + file);
        }
    }

    /** Writes {@code m} as .npy (float32) or .fvecs, chosen by the extension of {@code file}. */
    public static void write(Path file, FloatMatrix m) {
        switch (format(file)) {
            case NPY:
                NpyWriter.write(file, m);
                return;
            case FVECS:
                FvecsWriter.write(file, m);
                return;
            default:
                throw new IllegalStateException("unhandled format for " + file);
        }
    }

    private enum Format {
        NPY,
        FVECS
    }

    private static Format format(Path file) {
        Path name = file.getFileName();
        String lower = name == null ? "" : name.toString().toLowerCase(Locale.ROOT);
        if (lower.endsWith(".npy")) {
            return Format.NPY;
        }
        if (lower.endsWith(".fvecs")) {
            return Format.FVECS;
        }
        throw new StrataException(file + ": unknown file type; expected a .npy or .fvecs file");
    }
}
