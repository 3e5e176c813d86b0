package dev.strata.bootstrap.flink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.StrataException;
import dev.strata.flink.rest.FlinkRest;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * `strata submit flink-jobs/bootstrap.yaml`: runs the bootstrap job on a session cluster over its
 * REST API and follows it to the end, printing each finished stage (pass, step) on stderr, then
 * the passes over the pool the job counted (its accumulators).
 */
public final class ClusterBootstrapClient {
    public static final String ENTRY_CLASS = "dev.strata.bootstrap.flink.BootstrapMain";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the job did, from its accumulators. */
    public record Outcome(String jobId, long rowsScanned, long passes, long rowsSampled, double seconds) {}

    private final FlinkRest rest;
    private final PrintWriter progress;

    public ClusterBootstrapClient(FlinkRest rest, PrintWriter progress) {
        this.rest = rest;
        this.progress = progress;
    }

    /** Submits and returns the job id. */
    public String submit(String jarId, ClusterBootstrapSpec spec, Integer parallelism) {
        String b64 = Base64.getEncoder().encodeToString(spec.toYaml().getBytes(StandardCharsets.UTF_8));
        // neither flag nor file sets it: the cluster's parallelism.default, as `flink run` would use
        Integer p = parallelism != null
                ? parallelism
                : spec.parallelism != null ? spec.parallelism : rest.defaultParallelism();
        return rest.run(jarId, ENTRY_CLASS, List.of("--config-base64", b64), p, null);
    }

    /** Follows the job until it ends; a failed job stops with its cause in one line. */
    public Outcome await(String jobId) {
        long start = System.nanoTime();
        Set<String> reported = new HashSet<>();
        while (true) {
            JsonNode job = rest.job(jobId);
            for (JsonNode v : job.path("vertices")) {
                String name = v.path("name").asText();
                if (v.path("status").asText().equals("FINISHED")
                        && reported.add(v.path("id").asText())) {
                    progress.printf(
                            Locale.ROOT,
                            "bootstrap: %s done (%.1f s)%n",
                            shortName(name),
                            v.path("duration").asLong() / 1e3);
                    progress.flush();
                }
            }
            String state = job.path("state").asText();
            if (state.equals("FINISHED")) {
                return outcome(jobId, (System.nanoTime() - start) / 1e9);
            }
            if (state.equals("FAILED") || state.equals("CANCELED")) {
                throw new StrataException(
                        "the bootstrap job " + jobId + " " + state.toLowerCase(Locale.ROOT) + ": " + cause(jobId));
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StrataException("interrupted while waiting for job " + jobId);
            }
        }
    }

    private Outcome outcome(String jobId, double seconds) {
        long scanned = 0;
        long passes = 0;
        long sampled = 0;
        try {
            for (JsonNode a :
                    JSON.readTree(rest.raw("/jobs/" + jobId + "/accumulators")).path("user-task-accumulators")) {
                long value = Long.parseLong(a.path("value").asText("0"));
                switch (a.path("name").asText()) {
                    case SliceScanner.ROWS_SCANNED -> scanned = value;
                    case SliceScanner.PASSES -> passes = value;
                    case InitialKMeans.ROWS_SAMPLED -> sampled = value;
                    default -> {}
                }
            }
        } catch (IOException | NumberFormatException e) {
            throw new StrataException("cannot read the accumulators of job " + jobId + ": " + e.getMessage());
        }
        return new Outcome(jobId, scanned, passes, sampled, seconds);
    }

    /** The most specific cause of the job's failure: a Strata message when there is one. */
    private String cause(String jobId) {
        try {
            JsonNode ex = JSON.readTree(rest.raw("/jobs/" + jobId + "/exceptions"));
            String trace = ex.path("exceptionHistory")
                    .path("entries")
                    .path(0)
                    .path("stacktrace")
                    .asText(ex.path("root-exception").asText(""));
            String best = trace.lines().findFirst().orElse("unknown");
            for (String line : trace.lines().toList()) {
                int at = line.indexOf(StrataException.class.getName() + ": ");
                if (at >= 0) {
                    best = line.substring(at + StrataException.class.getName().length() + 2);
                }
            }
            return best;
        } catch (IOException | RuntimeException e) {
            return "see the dashboard at " + rest.url();
        }
    }

    private static String shortName(String vertex) {
        // a chained vertex is named "A -> B"; the stage names start with what the stage is
        return vertex.length() > 120 ? vertex.substring(0, 117) + "..." : vertex;
    }

    /** The pool's row count and dimension, read on the client before submitting (one line if unreadable). */
    public static long[] poolShape(String input) {
        try (PoolReader pool = PoolReader.open(input)) {
            return new long[] {pool.rows(), pool.dim()};
        }
    }

    public static String fileName(String input) {
        return Path.of(input).getFileName().toString();
    }
}
