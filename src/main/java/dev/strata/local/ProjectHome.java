package dev.strata.local;

import dev.strata.StrataException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the Strata project folder (the one holding kafka/pom.xml): the launchers need its
 * kafka/ and config files wherever the command is run from.
 */
public final class ProjectHome {
    public static final String PROPERTY = "strata.home";
    public static final String ENV = "STRATA_HOME";
    private static final String MARKER = "kafka/pom.xml";

    private ProjectHome() {}

    /** System property strata.home, else env STRATA_HOME, else the nearest folder above the cwd. */
    public static Path find() {
        String prop = System.getProperty(PROPERTY);
        if (prop != null && !prop.isBlank()) {
            return check(Path.of(prop), "system property " + PROPERTY);
        }
        String env = System.getenv(ENV);
        if (env != null && !env.isBlank()) {
            return check(Path.of(env), "environment variable " + ENV);
        }
        Path cwd = Path.of("").toAbsolutePath();
        for (Path dir = cwd; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(MARKER))) {
                return dir;
            }
        }
        throw new StrataException("cannot find the Strata project folder (the one with " + MARKER + ") in or above "
                + cwd + "; run from inside it or set " + ENV);
    }

    private static Path check(Path dir, String source) {
        Path abs = dir.toAbsolutePath().normalize();
        if (!Files.isRegularFile(abs.resolve(MARKER))) {
            throw new StrataException(source + " points at " + abs + ", which has no " + MARKER
                    + "; set it to the Strata project folder");
        }
        return abs;
    }
}
