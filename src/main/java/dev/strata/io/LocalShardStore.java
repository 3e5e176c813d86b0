package dev.strata.io;

import dev.strata.StrataException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;

/** Shards on a local disk, read memory-mapped. */
final class LocalShardStore implements ShardStore {
    private static final long serialVersionUID = 1L;

    @Override
    public List<String> list(String input) throws IOException {
        Path path = Path.of(input);
        Path name = path.getFileName();
        if (name != null && ShardNames.isGlob(name.toString())) {
            Path dir = path.getParent() == null ? Path.of(".") : path.getParent();
            if (!Files.isDirectory(dir)) {
                throw new StrataException(input + ": the folder " + dir + " does not exist; check the path");
            }
            PathMatcher matcher = ShardNames.glob(name.toString());
            List<String> out = new ArrayList<>();
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
                for (Path f : files) {
                    if (ShardNames.matches(matcher, f.getFileName().toString()) && Files.isRegularFile(f)) {
                        out.add(f.toString());
                    }
                }
            }
            if (out.isEmpty()) {
                throw new StrataException(
                        input + ": no file matches; check the pattern (e.g. 'embeddings/img_emb_*.npy')");
            }
            return sorted(out);
        }
        if (Files.isDirectory(path)) {
            List<String> out = new ArrayList<>();
            try (DirectoryStream<Path> files = Files.newDirectoryStream(path)) {
                for (Path f : files) {
                    if (ShardNames.isShard(f.getFileName().toString()) && Files.isRegularFile(f)) {
                        out.add(f.toString());
                    }
                }
            }
            if (out.isEmpty()) {
                throw new StrataException(
                        input + ": the folder holds no .npy or .fvecs files; point --input at the shards");
            }
            return sorted(out);
        }
        if (!Files.exists(path)) {
            throw new StrataException(input + ": no such file; check the path");
        }
        return List.of(input);
    }

    private static List<String> sorted(List<String> paths) {
        paths.sort((a, b) -> ShardNames.compareNatural(
                Path.of(a).getFileName().toString(), Path.of(b).getFileName().toString()));
        return paths;
    }

    @Override
    public long size(String location) throws IOException {
        return Files.size(Path.of(location));
    }

    @Override
    public ShardBytes open(String location, int windowBytes) {
        return new MappedShardBytes(Path.of(location), windowBytes);
    }
}
