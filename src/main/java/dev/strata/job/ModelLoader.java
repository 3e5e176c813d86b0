package dev.strata.job;

import dev.strata.StrataException;
import dev.strata.model.ClusterTree;
import dev.strata.model.ModelFile;
import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.WeakReference;
import java.util.HashMap;
import java.util.Map;
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
 * times. The version is a digest of the file, so a shared tree is the file the job was submitted
 * with. Held weakly: a model no task uses any more is collected.
 */
public final class ModelLoader {
    private static final Map<String, WeakReference<ClusterTree>> SHARED = new HashMap<>();

    private ModelLoader() {}

    /** The model at {@code path}, which must be {@code expectedVersion} unless that is null or empty. */
    public static ClusterTree load(String path, String expectedVersion) {
        if (expectedVersion == null || expectedVersion.isEmpty()) {
            return read(path, expectedVersion);
        }
        String key = expectedVersion + " " + path;
        synchronized (SHARED) {
            WeakReference<ClusterTree> ref = SHARED.get(key);
            ClusterTree tree = ref == null ? null : ref.get();
            if (tree == null) {
                SHARED.values().removeIf(r -> r.get() == null);
                tree = read(path, expectedVersion);
                SHARED.put(key, new WeakReference<>(tree));
            }
            return tree;
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
