package dev.strata.io;

import dev.strata.StrataException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.plugin.PluginUtils;

/**
 * Shards on one of Flink's file systems (s3://, hdfs://, gs://, ...), streamed. The file systems
 * come from Flink's plugins folder and configuration exactly as a Flink process finds them
 * (FLINK_PLUGINS_DIR, FLINK_CONF_DIR), so credentials and endpoints are configured once, the Flink way.
 */
final class FlinkShardStore implements ShardStore {
    private static final long serialVersionUID = 1L;
    private static boolean initialized;

    /** Loads Flink's file system plugins once per JVM; inside a Flink task they are loaded already. */
    static synchronized void initialize() {
        if (initialized) {
            return;
        }
        Configuration conf =
                System.getenv("FLINK_CONF_DIR") != null ? GlobalConfiguration.loadConfiguration() : new Configuration();
        FileSystem.initialize(conf, PluginUtils.createPluginManagerFromRootFolder(conf));
        initialized = true;
    }

    private static FileSystem fs(Path path) throws IOException {
        try {
            return path.getFileSystem();
        } catch (IOException e) {
            URI uri = path.toUri();
            throw new StrataException(
                    path + ": no Flink file system for '" + uri.getScheme() + "://' (" + e.getMessage()
                            + "); put its plugin (e.g. flink-s3-fs-hadoop) under $FLINK_PLUGINS_DIR",
                    e);
        }
    }

    @Override
    public List<String> list(String input) throws IOException {
        Path path = new Path(input);
        FileSystem fs = fs(path);
        String name = path.getName();
        List<String> out = new ArrayList<>();
        if (ShardNames.isGlob(name)) {
            PathMatcher matcher = ShardNames.glob(name);
            for (FileStatus s : listDir(fs, path.getParent(), input)) {
                if (!s.isDir() && ShardNames.matches(matcher, s.getPath().getName())) {
                    out.add(s.getPath().toString());
                }
            }
            if (out.isEmpty()) {
                throw new StrataException(
                        input + ": no file matches; check the pattern (e.g. 's3://bucket/img_emb_*.npy')");
            }
        } else {
            FileStatus status;
            try {
                status = fs.getFileStatus(path);
            } catch (FileNotFoundException e) {
                throw new StrataException(input + ": no such file; check the path");
            }
            if (!status.isDir()) {
                return List.of(input);
            }
            for (FileStatus s : listDir(fs, path, input)) {
                if (!s.isDir() && ShardNames.isShard(s.getPath().getName())) {
                    out.add(s.getPath().toString());
                }
            }
            if (out.isEmpty()) {
                throw new StrataException(
                        input + ": the folder holds no .npy or .fvecs files; point --input at the shards");
            }
        }
        out.sort((a, b) -> ShardNames.compareNatural(new Path(a).getName(), new Path(b).getName()));
        return out;
    }

    private static FileStatus[] listDir(FileSystem fs, Path dir, String input) throws IOException {
        try {
            FileStatus[] all = fs.listStatus(dir);
            if (all == null) {
                throw new FileNotFoundException(dir.toString());
            }
            return all;
        } catch (FileNotFoundException e) {
            throw new StrataException(input + ": the folder " + dir + " does not exist; check the path");
        }
    }

    @Override
    public long size(String location) throws IOException {
        Path path = new Path(location);
        return fs(path).getFileStatus(path).getLen();
    }

    @Override
    public ShardBytes open(String location, int windowBytes) throws IOException {
        Path path = new Path(location);
        return new StreamedShardBytes(fs(path), path);
    }
}
