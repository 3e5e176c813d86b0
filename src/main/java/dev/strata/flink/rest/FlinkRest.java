package dev.strata.flink.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.StrataException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.flink.api.common.JobID;
import org.apache.flink.client.deployment.StandaloneClusterId;
import org.apache.flink.client.program.rest.RestClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.SecurityOptions;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.rest.util.RestClientException;

/**
 * The calls of Flink's REST API that submitting and operating a job needs, against any cluster
 * (`strata submit`, `savepoint`, `stop`, and the local session cluster).
 *
 * <p>Job operations go through Flink's own client, {@link RestClusterClient} (the one behind
 * `flink cancel`, `flink savepoint` and `flink stop`): job status, cancel, savepoints and stop
 * with a savepoint, including the wait for a savepoint to complete. Plain REST calls remain where
 * that client has no call: uploading a jar and running it ({@code /jars/upload},
 * {@code /jars/:id/run}; the client submits only job graphs built on the client side, while
 * `submit` lets the JobManager build the job from our jar and the job file, as the dashboard's
 * "Submit new job" does), the JobManager's configuration ({@code /jobmanager/config}, for the
 * cluster's parallelism.default) and the cluster overview as the dashboard shows it. The same
 * endpoints serve the dashboard, so anything done here shows up there.
 *
 * <p>The JobManager URL may carry a scheme and a path, as behind an ingress:
 * {@code https://flink.example.com/my-cluster/}. Both kinds of call honour them. The plain calls
 * append their path to the URL as given. Flink 2.2's client takes the same URL the way its own
 * CLI takes {@code flink run -m URL} ({@code DefaultCLI}): host and port as {@code rest.address}
 * and {@code rest.port} (and the JobManager address, which the client only reads for the URL it
 * builds), the path as {@code rest.path} ({@link RestOptions#PATH}, which the client puts in
 * front of every request's path) and https as {@code security.ssl.rest.enabled}
 * ({@link SecurityOptions#SSL_REST_ENABLED}). Without a port, the scheme's (80, 443), as for the
 * plain calls. The rest of Flink's client settings come from Flink's configuration as its CLI
 * reads it ({@code $FLINK_CONF_DIR/config.yaml} when set): a private CA is
 * {@code security.ssl.rest.truststore} (and its password and type), which both kinds of call
 * then trust; without one, the JVM's default trust store.
 */
public final class FlinkRest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration SAVEPOINT_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    private final String base;
    private final URI uri;
    private final Configuration flink;
    private final HttpClient http;

    /** @param jobManagerUrl the JobManager's REST address: http(s)://HOST[:PORT][/PATH/]; anything else stops with one line */
    public FlinkRest(String jobManagerUrl) {
        this(
                jobManagerUrl,
                System.getenv("FLINK_CONF_DIR") != null
                        ? GlobalConfiguration.loadConfiguration()
                        : new Configuration());
    }

    /** With the given Flink configuration instead of {@code $FLINK_CONF_DIR}'s (its REST TLS settings apply). */
    public FlinkRest(String jobManagerUrl, Configuration flinkConfiguration) {
        this.flink = flinkConfiguration;
        this.http = RestTrust.httpClient(flinkConfiguration);
        this.uri = jobManagerUri(jobManagerUrl);
        this.base = uri.toString().endsWith("/")
                ? uri.toString().substring(0, uri.toString().length() - 1)
                : uri.toString();
    }

    /** The URL checked: http or https, a host, no query or fragment (they would end up inside every call's path). */
    static URI jobManagerUri(String url) {
        String fix = "; give the JobManager's REST address as http://HOST:PORT, or https://HOST/PATH/ behind an "
                + "ingress (--jobmanager)";
        URI u;
        try {
            u = new URI(url);
        } catch (URISyntaxException e) {
            throw new StrataException("JobManager URL '" + url + "' is not a URL (" + e.getReason() + ")" + fix);
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new StrataException("JobManager URL '" + url + "' is not an http or https URL" + fix);
        }
        if (u.getHost() == null
                || u.getRawQuery() != null
                || u.getRawFragment() != null
                || u.getRawUserInfo() != null) {
            throw new StrataException("JobManager URL '" + url + "' needs a host and no query, fragment or user" + fix);
        }
        return u;
    }

    /** The port the URL names, or its scheme's. */
    private int port() {
        return uri.getPort() > 0 ? uri.getPort() : uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }

    /**
     * The client's settings for this URL, as Flink's CLI makes them from {@code -m URL}: the path
     * without its trailing slash (the client adds the request's own path, which starts with one).
     */
    Configuration clientConfiguration() {
        Configuration conf = new Configuration(flink);
        conf.set(JobManagerOptions.ADDRESS, uri.getHost());
        conf.set(JobManagerOptions.PORT, port());
        conf.set(RestOptions.ADDRESS, uri.getHost());
        conf.set(RestOptions.PORT, port());
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        conf.set(RestOptions.PATH, path.endsWith("/") ? path.substring(0, path.length() - 1) : path);
        conf.set(SecurityOptions.SSL_REST_ENABLED, uri.getScheme().equalsIgnoreCase("https"));
        conf.set(RestOptions.RETRY_MAX_ATTEMPTS, 0);
        return conf;
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
            send(HttpRequest.newBuilder(URI.create(base + "/overview"))
                    .timeout(Duration.ofSeconds(3))
                    .GET()
                    .build());
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
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                .build();
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
        return post("/jars/" + jarId + "/run", body, Duration.ofMinutes(3))
                .path("jobid")
                .asText();
    }

    /** The job's status as Flink names it (RUNNING, FAILED, CANCELED, ...). */
    public String jobState(String jobId) {
        return call("read the status of job " + jobId, c -> c.getJobStatus(jobId(jobId)), CALL_TIMEOUT)
                .name();
    }

    /** Triggers a savepoint and waits for it; returns its location. */
    public String savepoint(String jobId, String targetDir) {
        return call(
                "take a savepoint of job " + jobId,
                c -> c.triggerSavepoint(jobId(jobId), targetDir, SavepointFormatType.DEFAULT),
                SAVEPOINT_TIMEOUT);
    }

    /** Stops the job with a final savepoint (no drain: timers and windows are kept); returns its location. */
    public String stopWithSavepoint(String jobId, String targetDir) {
        return stopWithSavepoint(jobId, targetDir, false);
    }

    /**
     * Stops the job with a final savepoint; returns its location. With {@code drain} (Flink's
     * {@code stop --drain}) the sources end first and every operator sees the end of its input:
     * adaptive admission tops its top clusters up from their reserves before the savepoint.
     */
    public String stopWithSavepoint(String jobId, String targetDir, boolean drain) {
        return call(
                "stop job " + jobId + " with a savepoint" + (drain ? " (drain)" : ""),
                c -> c.stopWithSavepoint(jobId(jobId), drain, targetDir, SavepointFormatType.DEFAULT),
                SAVEPOINT_TIMEOUT);
    }

    public void cancel(String jobId) {
        call("cancel job " + jobId, c -> c.cancel(jobId(jobId)), CALL_TIMEOUT);
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

    private static JobID jobId(String id) {
        try {
            return JobID.fromHexString(id);
        } catch (IllegalArgumentException e) {
            throw new StrataException(
                    "job id " + id + " is not a Flink job id (32 hex digits); the dashboard lists the " + "jobs");
        }
    }

    /**
     * One operation on a short-lived {@link RestClusterClient}: it holds a Netty event loop, and
     * the commands make a handful of calls, so none is kept open between calls. Flink's client
     * retries a refused connection 20 times, 3 s apart, by default; a user who named the wrong
     * JobManager hears so at once instead, as from the plain REST calls.
     */
    private <T> T call(
            String what, Function<RestClusterClient<StandaloneClusterId>, CompletableFuture<T>> op, Duration timeout) {
        try (RestClusterClient<StandaloneClusterId> client =
                new RestClusterClient<>(clientConfiguration(), StandaloneClusterId.getInstance())) {
            return op.apply(client).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw refused(what, e.getCause());
        } catch (TimeoutException e) {
            throw new StrataException(
                    "could not " + what + " within " + timeout.toSeconds() + " s; see the dashboard at " + base);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StrataException("interrupted while trying to " + what);
        } catch (StrataException e) {
            throw e;
        } catch (Exception e) {
            throw new StrataException("could not " + what + " at " + base + ": " + e.getMessage(), e);
        }
    }

    /** The most specific line of what went wrong: no JobManager, Flink's refusal, or the innermost cause. */
    private StrataException refused(String what, Throwable failure) {
        Throwable root = failure;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConnectException) {
                return noJobManager();
            }
            if (t instanceof RestClientException r) {
                return new StrataException("Flink refused to " + what + " ("
                        + r.getHttpResponseStatus().code() + "): " + causeLine(r.getMessage()));
            }
            root = t;
        }
        return new StrataException("could not " + what + ": " + causeLine(String.valueOf(root.getMessage())), failure);
    }

    private StrataException noJobManager() {
        return new StrataException("no Flink JobManager answers at " + base + "; start one with `strata cluster start` "
                + "or fix --jobmanager");
    }

    /** A job's details (state, vertices and their parallelism and status), as the dashboard reads them. */
    public JsonNode job(String jobId) {
        return get("/jobs/" + jobId);
    }

    /** The raw body of a GET on any REST path ("/jobs/ID/accumulators"), as the dashboard reads it. */
    public String raw(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .timeout(CALL_TIMEOUT)
                .GET()
                .build());
    }

    JsonNode get(String path) {
        return parse(raw(path));
    }

    private JsonNode post(String path, JsonNode body, Duration timeout) {
        return parse(send(HttpRequest.newBuilder(URI.create(base + path))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build()));
    }

    private String send(HttpRequest req) {
        HttpResponse<String> resp;
        try {
            resp = http.send(req, HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw noJobManager();
        } catch (IOException e) {
            throw new StrataException("Flink REST call " + req.uri() + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StrataException("interrupted while calling " + req.uri());
        }
        if (resp.statusCode() >= 400) {
            throw new StrataException("Flink refused " + req.method() + " "
                    + req.uri().getPath() + " (" + resp.statusCode() + "): " + errorText(resp.body()));
        }
        return resp.body();
    }

    /** Flink's error bodies carry a Java stack trace; the user needs its most specific cause line. */
    static String errorText(String body) {
        try {
            StringBuilder all = new StringBuilder();
            for (JsonNode e : JSON.readTree(body).path("errors")) {
                all.append(e.asText()).append('\n');
            }
            return all.length() == 0 ? body : causeLine(all.toString());
        } catch (IOException e) {
            return body;
        }
    }

    /** The first line, or the last "Caused by:" line of a stack trace, without its prefix. */
    private static String causeLine(String text) {
        String last = "";
        for (String line : text.split("\n")) {
            if (line.startsWith("Caused by: ") || last.isEmpty()) {
                last = line.replaceFirst("^Caused by: ", "");
            }
        }
        return last.isEmpty() ? text : last.trim();
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new StrataException("Flink answered with something that is not JSON: " + body);
        }
    }
}
