package dev.strata.kmeans;

import dev.strata.StrataException;
import dev.strata.vector.FloatMatrix;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * A bootstrap's checkpoint in a work directory: after every completed step (a level's first
 * clustering, each resampling step, each finished level) the whole {@link BuildState} is written
 * to one file, atomically (temp file + rename), with a CRC32 trailer. A run started with the same
 * run key (the arguments and input that determine the model) resumes from it; a different key is
 * refused rather than silently mixed in.
 */
public class Checkpoints {
    static final String FILE = "bootstrap.checkpoint";
    private static final int MAGIC = 0x5354434b; // "STCK"
    private static final int VERSION = 1;

    private final Path dir;
    private final String runKey;

    /** @param runKey what identifies the run: a resume must see the same key */
    public Checkpoints(Path dir, String runKey) {
        this.dir = dir;
        this.runKey = runKey;
    }

    /** No work directory: nothing saved, nothing resumed. */
    public static Checkpoints none() {
        return new Checkpoints(null, "") {
            @Override
            BuildState load() {
                return null;
            }

            @Override
            void save(BuildState state) {}
        };
    }

    Path file() {
        return dir.resolve(FILE);
    }

    /** The saved state of this run, or null when the directory holds none. */
    BuildState load() {
        Path file = file();
        CRC32 crc = new CRC32();
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 20);
                DataInputStream in = new DataInputStream(new CheckedInputStream(raw, crc))) {
            if (in.readInt() != MAGIC || in.readInt() != VERSION) {
                throw new StrataException(
                        file + ": not a bootstrap checkpoint of this version; delete it to start over");
            }
            String key = in.readUTF();
            if (!key.equals(runKey)) {
                throw new StrataException(file + ": is the checkpoint of another bootstrap (other arguments or input);"
                        + " give this run its own --work-dir, or delete the file to start over");
            }
            int finished = in.readInt();
            List<FloatMatrix> centroids = new ArrayList<>();
            List<int[]> assignments = new ArrayList<>();
            List<long[]> sizes = new ArrayList<>();
            for (int t = 0; t < finished; t++) {
                centroids.add(readMatrix(in));
                assignments.add(readInts(in));
                sizes.add(readLongs(in));
            }
            int level = in.readInt();
            KMeansResult current = null;
            if (in.readBoolean()) {
                FloatMatrix c = readMatrix(in);
                int[] assignment = readInts(in);
                float[] dist = readFloats(in);
                current = new KMeansResult(c, assignment, dist, in.readInt(), in.readDouble());
            }
            int stepsDone = in.readInt();
            int sampleSize = in.readInt();
            double leafDistanceSq = in.readDouble();
            long expected = crc.getValue();
            long stored = in.readLong();
            if (stored != expected) {
                throw new StrataException(file + ": checksum mismatch (damaged file); delete it to start over");
            }
            return new BuildState(centroids, assignments, sizes, level, current, stepsDone, sampleSize, leafDistanceSq);
        } catch (NoSuchFileException e) {
            return null;
        } catch (EOFException e) {
            throw new StrataException(file + ": the checkpoint is cut short (damaged file); delete it to start over");
        } catch (IOException e) {
            throw new StrataException(file + ": cannot read the checkpoint (" + e.getMessage() + ")", e);
        }
    }

    /** Replaces the saved state; the rename makes a half-written file impossible to resume from. */
    void save(BuildState state) {
        Path file = file();
        Path tmp = dir.resolve(FILE + ".tmp");
        CRC32 crc = new CRC32();
        try {
            Files.createDirectories(dir);
            try (OutputStream raw = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20);
                    DataOutputStream out = new DataOutputStream(new CheckedOutputStream(raw, crc))) {
                out.writeInt(MAGIC);
                out.writeInt(VERSION);
                out.writeUTF(runKey);
                out.writeInt(state.centroids().size());
                for (int t = 0; t < state.centroids().size(); t++) {
                    writeMatrix(out, state.centroids().get(t));
                    writeInts(out, state.assignments().get(t));
                    writeLongs(out, state.sizes().get(t));
                }
                out.writeInt(state.level());
                KMeansResult r = state.current();
                out.writeBoolean(r != null);
                if (r != null) {
                    writeMatrix(out, r.centroids());
                    writeInts(out, r.assignment());
                    writeFloats(out, r.distanceSq());
                    out.writeInt(r.iterationsRun());
                    out.writeDouble(r.objective());
                }
                out.writeInt(state.stepsDone());
                out.writeInt(state.sampleSize());
                out.writeDouble(state.leafDistanceSq());
                out.flush();
                // the trailer is not part of what it checks
                new DataOutputStream(raw).writeLong(crc.getValue());
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new StrataException(
                    dir + ": cannot write the bootstrap checkpoint (" + e.getMessage()
                            + "); check the --work-dir and its free space",
                    e);
        }
    }

    /** Removes the checkpoint once the model is written: the work is done. */
    public void clear() {
        if (dir == null) {
            return;
        }
        try {
            Files.deleteIfExists(file());
        } catch (IOException e) {
            throw new StrataException(
                    file() + ": cannot delete the finished bootstrap's checkpoint (" + e.getMessage() + ")", e);
        }
    }

    private static void writeMatrix(DataOutputStream out, FloatMatrix m) throws IOException {
        out.writeInt(m.rows());
        out.writeInt(m.dim());
        writeFloats(out, m.data());
    }

    private static FloatMatrix readMatrix(DataInputStream in) throws IOException {
        int rows = in.readInt();
        int dim = in.readInt();
        return new FloatMatrix(readFloats(in), rows, dim);
    }

    private static void writeFloats(DataOutputStream out, float[] a) throws IOException {
        out.writeInt(a.length);
        for (float v : a) {
            out.writeFloat(v);
        }
    }

    private static float[] readFloats(DataInputStream in) throws IOException {
        float[] a = new float[in.readInt()];
        for (int i = 0; i < a.length; i++) {
            a[i] = in.readFloat();
        }
        return a;
    }

    private static void writeInts(DataOutputStream out, int[] a) throws IOException {
        out.writeInt(a.length);
        for (int v : a) {
            out.writeInt(v);
        }
    }

    private static int[] readInts(DataInputStream in) throws IOException {
        int[] a = new int[in.readInt()];
        for (int i = 0; i < a.length; i++) {
            a[i] = in.readInt();
        }
        return a;
    }

    private static void writeLongs(DataOutputStream out, long[] a) throws IOException {
        out.writeInt(a.length);
        for (long v : a) {
            out.writeLong(v);
        }
    }

    private static long[] readLongs(DataInputStream in) throws IOException {
        long[] a = new long[in.readInt()];
        for (int i = 0; i < a.length; i++) {
            a[i] = in.readLong();
        }
        return a;
    }
}
