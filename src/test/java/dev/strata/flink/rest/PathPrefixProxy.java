package dev.strata.flink.rest;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A reverse proxy in front of a JobManager's REST port that serves it under a path prefix only, as
 * an ingress does ({@code http://127.0.0.1:PORT/my-cluster/jobs/...} to {@code TARGET/jobs/...}).
 * A request outside the prefix gets a 404 and is remembered, so a test sees a client that built
 * its URLs from host and port alone.
 */
public final class PathPrefixProxy implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(4);
    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String prefix;
    private final String target;
    private final List<String> forwarded = Collections.synchronizedList(new ArrayList<>());
    private final List<String> refused = Collections.synchronizedList(new ArrayList<>());

    private PathPrefixProxy(String prefix, String target, SSLContext tls) throws IOException {
        this.prefix = prefix;
        this.target = target;
        if (tls == null) {
            this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        } else {
            HttpsServer https = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
            https.setHttpsConfigurator(new HttpsConfigurator(tls));
            this.server = https;
        }
        server.createContext("/", this::handle);
        server.setExecutor(threads);
        server.start();
    }

    /** Serves {@code target} (http://HOST:PORT) under {@code prefix} ("/my-cluster") on a free port of 127.0.0.1. */
    public static PathPrefixProxy start(String prefix, String target) throws IOException {
        return new PathPrefixProxy(prefix, target, null);
    }

    /** The same behind TLS, with the key and certificate of a PKCS12 keystore. */
    public static PathPrefixProxy startTls(String prefix, String target, Path keystore, String password)
            throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, password.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, password.toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        return new PathPrefixProxy(prefix, target, tls);
    }

    /** The URL a client is given: http(s)://127.0.0.1:PORT/PREFIX/ */
    public String url() {
        return (server instanceof HttpsServer ? "https" : "http") + "://127.0.0.1:"
                + server.getAddress().getPort() + prefix + "/";
    }

    /** "METHOD /path" of every request passed on, without the prefix. */
    public List<String> forwarded() {
        return List.copyOf(forwarded);
    }

    /** "METHOD /path" of every request outside the prefix. */
    public List<String> refused() {
        return List.copyOf(refused);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getRawPath();
            if (!path.startsWith(prefix + "/")) {
                refused.add(ex.getRequestMethod() + " " + path);
                reply(ex, 404, "text/plain", ("nothing at " + path).getBytes(StandardCharsets.UTF_8));
                return;
            }
            String rest = path.substring(prefix.length());
            String query = ex.getRequestURI().getRawQuery();
            forwarded.add(ex.getRequestMethod() + " " + rest);
            byte[] body = ex.getRequestBody().readAllBytes();
            HttpRequest.Builder req = HttpRequest.newBuilder(
                            URI.create(target + rest + (query == null ? "" : "?" + query)))
                    .method(
                            ex.getRequestMethod(),
                            body.length == 0
                                    ? HttpRequest.BodyPublishers.noBody()
                                    : HttpRequest.BodyPublishers.ofByteArray(body));
            for (String h : List.of("Content-Type", "Accept")) {
                String v = ex.getRequestHeaders().getFirst(h);
                if (v != null) {
                    req.header(h, v);
                }
            }
            HttpResponse<byte[]> resp = http.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
            reply(
                    ex,
                    resp.statusCode(),
                    resp.headers().firstValue("Content-Type").orElse("application/json"),
                    resp.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void reply(HttpExchange ex, int status, String contentType, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
