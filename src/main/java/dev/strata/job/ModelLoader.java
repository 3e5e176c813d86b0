package dev.strata.job;

import dev.strata.StrataException;
import dev.strata.model.ClusterTree;
import dev.strata.model.ModelFile;
import java.io.IOException;
import java.io.InputStream;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * Loads the model inside a task through Flink's file systems, so the same job reads a local
 * path, a shared volume or object storage (s3://, with the file system plugin on the cluster).
 * The file must still be the model the client saw: a changed or corrupted file fails the job
 * without restarts (every restart would read the same file), an unreadable one is retried.
 */
public final class ModelLoader {
    private ModelLoader() {}

    public static ClusterTree load(String path, String expectedVersion) {
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
