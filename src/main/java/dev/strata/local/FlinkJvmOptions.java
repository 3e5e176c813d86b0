package dev.strata.local;

import dev.strata.StrataException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * The JVM options Flink needs on Java 17, from flink-jvm.properties: the one list that the
 * build's test JVMs, the launcher, the local session cluster and the Kubernetes manifests share.
 */
public final class FlinkJvmOptions {
    static final String RESOURCE = "/flink-jvm.properties";

    private FlinkJvmOptions() {}

    public static List<String> read() {
        Properties p = new Properties();
        try (InputStream in = FlinkJvmOptions.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new StrataException(
                        RESOURCE + " is missing from the class path; rebuild with `mvn -DskipTests package`");
            }
            p.load(in);
        } catch (IOException e) {
            throw new StrataException("cannot read " + RESOURCE + ": " + e.getMessage(), e);
        }
        return Arrays.stream(p.getProperty("flink.jvm.args", "").trim().split("\\s+"))
                .filter(s -> !s.isEmpty())
                .toList();
    }
}
