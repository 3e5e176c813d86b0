package dev.strata.job;

import dev.strata.StrataException;
import dev.strata.model.ClusterTree;
import dev.strata.model.ModelFile;
import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.WeakReference;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * Loads the model inside a task through Flink's file systems, so the same job reads a local
 * path, a shared volume or object storage (s3://, with the file system plugin on the cluster).
 * The file must still be the model the client saw: a changed or corrupted file fails the job
 * without restarts (every restart would read the same file), an unreadable one is retried.
 *
 * <p>A model loaded for a given version is shared by every task of this JVM (a TaskManager's
 * slots, or all of a local run): the assignment, the admission, the planners and the monitor each
 * need the tree, and a TaskManager with eight slots would otherwise read and hold it dozens of
 * times. A shared copy is used only while the file is unchanged (same length and modification
 * time): a job whose file was replaced after submission must fail on every TaskManager alike, not
 * run on where an earlier task still holds the old copy. Held weakly: a model no task uses any
 * more is collected.
 */
public final class ModelLoader {
    /** A loaded model and the file status it was read with. */
    private record Shared(WeakReference<ClusterTree> tree, long length, long modified) {}

    private static final Map<String, Shared> SHARED = new HashMap<>();

    private ModelLoader() {}

    /** The model at {@code path}, which must be {@code expectedVersion} unless that is null or empty. */
    public static ClusterTree load(String path, String expectedVersion) {
        if (expectedVersion == null || expectedVersion.isEmpty()) {
            return read(path, expectedVersion);
        }
        String key = expectedVersion + " " + path;
        FileStatus status = status(path);
        synchronized (SHARED) {
            Shared shared = SHARED.get(key);
            ClusterTree tree = shared == null ? null : shared.tree().get();
            if (tree == null
                    || status == null
                    || shared.length() != status.getLen()
                    || shared.modified() != status.getModificationTime()) {
                SHARED.values().removeIf(r -> r.tree().get() == null);
                tree = read(path, expectedVersion);
                if (status != null) {
                    SHARED.put(
                            key, new Shared(new WeakReference<>(tree), status.getLen(), status.getModificationTime()));
                }
            }
            return tree;
        }
    }

    /** The file's status, or null when it cannot be had (the read then says why). */
    private static FileStatus status(String path) {
        try {
            Path p = new Path(path);
            return p.getFileSystem().getFileStatus(p);
        } catch (IOException e) {
            return null;
        }
    }

    private static ClusterTree read(String path, String expectedVersion) {
        byte[] bytes;
        try {
            Path p = new Path(path);
            FileSystem fs = p.getFileSystem();
            try (InputStream in = fs.open(p)) {
                bytes = in.readAllBytes();
            }
        } catch (IOException e) {
            throw new StrataException(
                    "cannot read model " + path + " on this task manager: " + e.getMessage()
                            + "; the model path must be reachable from every task manager",
                    e);
        }
        ClusterTree tree;
        try {
            tree = ModelFile.parse(bytes, path);
        } catch (StrataException e) {
            throw new NonRecoverable(e.getMessage(), e);
        }
        if (expectedVersion != null && !expectedVersion.isEmpty() && !expectedVersion.equals(tree.version())) {
            throw new NonRecoverable("model " + path + " is version " + tree.version()
                    + " but the job was submitted with " + expectedVersion + "; resubmit the job to switch models");
        }
        return tree;
    }
}
