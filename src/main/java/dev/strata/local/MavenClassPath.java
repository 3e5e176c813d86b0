package dev.strata.local;

import dev.strata.StrataException;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The class path of a local service (the Kafka broker, the Flink cluster) resolved by Maven from
 * a small pom of its own and cached beside it in target/ (shared by every data dir, so tests with
 * fresh temp dirs do not pay the ~5 s Maven run again). The cache is redone when the pom is newer
 * or a jar is gone.
 */
final class MavenClassPath {
    private static final long MAVEN_TIMEOUT_MINUTES = 10;

    private MavenClassPath() {}

    /** The Kafka broker's class path, from kafka/pom.xml. */
    static String kafkaBroker(Path home) {
        return resolve(home.resolve("kafka/pom.xml"), "the Kafka broker");
    }

    /** A Flink cluster's class path (Flink runtime jars only), from flink-jobs/cluster/pom.xml. */
    static String flinkCluster(Path home) {
        return resolve(home.resolve("flink-jobs/cluster/pom.xml"), "the Flink cluster");
    }

    static String resolve(Path pom, String what) {
        Path cache = pom.resolveSibling("target").resolve("classpath.txt");
        try {
            if (isFresh(cache, pom)) {
                return Files.readString(cache).trim();
            }
            Files.createDirectories(cache.getParent());
            Path tmp = Files.createTempFile(cache.getParent(), "classpath", ".tmp");
            Path log = cache.getParent().resolve("classpath-maven.log");
            runMaven(pom, tmp, log, what);
            String cp = Files.readString(tmp).trim();
            if (cp.isEmpty()) {
                throw new StrataException("Maven resolved an empty class path for " + what + "; see " + log);
            }
            // atomic so a concurrent launcher never reads half a file
            Files.move(tmp, cache, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return cp;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot cache the class path of " + what + " in " + cache, e);
        }
    }

    private static boolean isFresh(Path cache, Path pom) throws IOException {
        if (!Files.isRegularFile(cache)
                || Files.getLastModifiedTime(cache).compareTo(Files.getLastModifiedTime(pom)) < 0) {
            return false;
        }
        String cp = Files.readString(cache).trim();
        if (cp.isEmpty()) {
            return false;
        }
        for (String entry : cp.split(File.pathSeparator)) {
            if (!Files.exists(Path.of(entry))) {
                return false;
            }
        }
        return true;
    }

    private static void runMaven(Path pom, Path outputFile, Path log, String what) throws IOException {
        List<String> cmd = List.of(
                "mvn",
                "-q",
                "-B",
                "-f",
                pom.toString(),
                "dependency:build-classpath",
                "-Dmdep.outputFile=" + outputFile);
        Process p;
        try {
            p = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
        } catch (IOException e) {
            throw new StrataException("cannot run Maven (mvn) to resolve the jars of " + what + ": " + e.getMessage()
                    + "; install Maven 3.8+ and put mvn on the PATH");
        }
        try {
            if (!p.waitFor(MAVEN_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new StrataException("Maven took over " + MAVEN_TIMEOUT_MINUTES + " min to resolve the jars of "
                        + what + "; see " + log);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new StrataException("interrupted while Maven resolved the jars of " + what);
        }
        if (p.exitValue() != 0) {
            throw new StrataException("Maven could not resolve the jars of " + what + " (exit " + p.exitValue()
                    + "); see " + log + " (offline? run `mvn -f " + pom + " dependency:resolve` once with network)");
        }
    }
}
