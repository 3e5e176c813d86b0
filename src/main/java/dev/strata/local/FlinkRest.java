package dev.strata.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.StrataException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * The few calls of Flink's REST API that submitting and operating a job needs: upload a jar,
 * run it, trigger savepoints, stop with a savepoint, read job status and the cluster overview.
 * The same endpoints serve the dashboard, so anything done here shows up there.
 */
public final class FlinkRest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration SAVEPOINT_TIMEOUT = Duration.ofMinutes(5);

    private final String base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public FlinkRest(String jobManagerUrl) {
        this.base = jobManagerUrl.endsWith("/") ? jobManagerUrl.substring(0, jobManagerUrl.length() - 1) : jobManagerUrl;
    }

    public String url() {
        return base;
    }

    /** The cluster overview: task managers, slots, jobs; throws a one-line error when nothing answers. */
    public JsonNode overview() {
        return get("/overview");
    }

    public boolean answers() {
        try {
            send(HttpRequest.newBuilder(URI.create(base + "/overview")).timeout(Duration.ofSeconds(3)).GET().build());
            return true;
        } catch (StrataException e) {
            return false;
        }
    }

    /** Uploads a jar; returns the id the cluster gave it. */
    public String uploadJar(Path jar) {
        String boundary = "strata-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try {
            body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\""
                    + jar.getFileName() + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            body.write(Files.readAllBytes(jar));
            body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new StrataException("cannot read job jar " + jar + ": " + e.getMessage(), e);
        }
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/jars/upload"))
                .timeout(Duration.ofMinutes(2))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
        JsonNode r = parse(send(req));
        String file = r.path("filename").asText();
        return Path.of(file).getFileName().toString();
    }

    /** Runs an uploaded jar; returns the job id. */
    public String run(String jarId, String entryClass, List<String> args, Integer parallelism, String savepointPath) {
        ObjectNode body = JSON.createObjectNode();
        body.put("entryClass", entryClass);
        body.set("programArgsList", JSON.valueToTree(args));
        if (parallelism != null) {
            body.put("parallelism", parallelism);
        }
        if (savepointPath != null) {
            body.put("savepointPath", savepointPath);
            body.put("allowNonRestoredState", false);
        }
        return post("/jars/" + jarId + "/run", body, Duration.ofMinutes(3)).path("jobid").asText();
    }

    public String jobState(String jobId) {
        return get("/jobs/" + jobId).path("state").asText();
    }

    public JsonNode job(String jobId) {
        return get("/jobs/" + jobId);
    }

    /** Checkpoint statistics of a job (counts, latest completed, ...). */
    public JsonNode jobCheckpoints(String jobId) {
        return get("/jobs/" + jobId + "/checkpoints");
    }

    /** How many failures the job has recorded (each one led to a restart or to the end of the job). */
    public int jobFailures(String jobId) {
        return get("/jobs/" + jobId + "/exceptions").path("exceptionHistory").path("entries").size();
    }

    /** Triggers a savepoint and waits for it; returns its location. */
    public String savepoint(String jobId, String targetDir) {
        ObjectNode body = JSON.createObjectNode();
        if (targetDir != null) {
            body.put("target-directory", targetDir);
        }
        body.put("cancel-job", false);
        String trigger = post("/jobs/" + jobId + "/savepoints", body, Duration.ofSeconds(30)).path("request-id").asText();
        return awaitSavepoint(jobId, trigger);
    }

    /** Stops the job with a final savepoint (no drain: timers and windows are kept); returns its location. */
    public String stopWithSavepoint(String jobId, String targetDir) {
        ObjectNode body = JSON.createObjectNode();
        if (targetDir != null) {
            body.put("targetDirectory", targetDir);
        }
        body.put("drain", false);
        String trigger = post("/jobs/" + jobId + "/stop", body, Duration.ofSeconds(30)).path("request-id").asText();
        return awaitSavepoint(jobId, trigger);
    }

    /**
     * The cluster's parallelism.default, or null when its configuration has none. A jar run over
     * REST without a parallelism runs at Flink's built-in default (1), not at the cluster's
     * setting, unlike `flink run`; passing this on keeps the two alike.
     */
    public Integer defaultParallelism() {
        for (JsonNode e : get("/jobmanager/config")) {
            if ("parallelism.default".equals(e.path("key").asText())) {
                try {
                    return Integer.valueOf(e.path("value").asText().trim());
                } catch (NumberFormatException ex) {
                    return null;
                }
            }
        }
        return null;
    }

    /** The raw body of a GET on any REST path ("/jobs/ID/config"), as the dashboard reads it. */
    public String raw(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).GET().build());
    }

    public void cancel(String jobId) {
        send(HttpRequest.newBuilder(URI.create(base + "/jobs/" + jobId)).timeout(Duration.ofSeconds(30))
                .method("PATCH", HttpRequest.BodyPublishers.noBody()).build());
    }

    private String awaitSavepoint(String jobId, String trigger) {
        long deadline = System.nanoTime() + SAVEPOINT_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode s = get("/jobs/" + jobId + "/savepoints/" + trigger);
            if ("COMPLETED".equals(s.path("status").path("id").asText())) {
                JsonNode op = s.path("operation");
                if (op.has("failure-cause")) {
                    throw new StrataException("savepoint of job " + jobId + " failed: "
                            + op.path("failure-cause").path("stack-trace").asText("").lines().findFirst().orElse("unknown"));
                }
                return op.path("location").asText();
            }
            sleep(500);
        }
        throw new StrataException("savepoint of job " + jobId + " did not complete within " + SAVEPOINT_TIMEOUT.toMinutes()
                + " min; see the dashboard at " + base);
    }

    private JsonNode get(String path) {
        return parse(send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).GET().build()));
    }

    private JsonNode post(String path, JsonNode body, Duration timeout) {
        return parse(send(HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build()));
    }

    private String send(HttpRequest req) {
        HttpResponse<String> resp;
        try {
            resp = http.send(req, HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new StrataException("no Flink JobManager answers at " + base + "; start one with `strata cluster start` "
                    + "or fix --jobmanager");
        } catch (IOException e) {
            throw new StrataException("Flink REST call " + req.uri() + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StrataException("interrupted while calling " + req.uri());
        }
        if (resp.statusCode() >= 400) {
            throw new StrataException("Flink refused " + req.method() + " " + req.uri().getPath() + " (" + resp.statusCode()
                    + "): " + errorText(resp.body()));
        }
        return resp.body();
    }

    /** Flink's error bodies carry a Java stack trace; the user needs its most specific cause line. */
    static String errorText(String body) {
        try {
            JsonNode errors = JSON.readTree(body).path("errors");
            String last = "";
            for (JsonNode e : errors) {
                for (String line : e.asText().split("\n")) {
                    if (line.startsWith("Caused by: ") || last.isEmpty()) {
                        last = line.replaceFirst("^Caused by: ", "");
                    }
                }
            }
            return last.isEmpty() ? body : last.trim();
        } catch (IOException e) {
            return body;
        }
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new StrataException("Flink answered with something that is not JSON: " + body);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StrataException("interrupted");
        }
    }
}
