package dev.strata.synth;

import dev.strata.io.EmbeddingFiles;
import dev.strata.io.NpyWriter;
import dev.strata.vector.FloatMatrix;
import java.nio.file.Path;

/**
 * Generated points and, per point, the index of the concept that produced it: the ground truth
 * that tests and demos hold a curated selection against.
 */
public record SyntheticData(FloatMatrix points, int[] labels) {

    public SyntheticData {
        if (points.rows() != labels.length) {
            throw new IllegalArgumentException(points.rows() + " points but " + labels.length + " labels");
        }
    }

    /** Number of points carrying each label 0..max. */
    public int[] labelCounts() {
        int max = -1;
        for (int l : labels) {
            max = Math.max(max, l);
        }
        int[] counts = new int[max + 1];
        for (int l : labels) {
            counts[l]++;
        }
        return counts;
    }

    /**
     * Writes the points to {@code points} (.npy, or .fvecs) and the labels as int32 .npy next to
     * it ({@code FILE.npy} gives {@code FILE.labels.npy}); returns the labels path.
     */
    public Path write(Path points) {
        Path labelsPath = labelsPath(points);
        EmbeddingFiles.write(points, this.points);
        NpyWriter.writeLabels(labelsPath, labels);
        return labelsPath;
    }

    /** {@code dir/FILE.npy} (or {@code .fvecs}) to {@code dir/FILE.labels.npy}. */
    public static Path labelsPath(Path points) {
        String name = points.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        return points.resolveSibling(stem + ".labels.npy");
    }
}
