package dev.strata.flink.rest;

import dev.strata.StrataException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.SecurityOptions;

/**
 * The trust of the plain REST calls, from the same Flink settings Flink's REST client reads
 * ({@code security.ssl.rest.truststore}, falling back to {@code security.ssl.truststore}, with
 * their password and type), so a JobManager behind TLS with a private CA is trusted by both kinds
 * of call or by neither. Without a trust store, the JVM's default, as Flink's client does.
 */
final class RestTrust {
    private RestTrust() {}

    static HttpClient httpClient(Configuration flink) {
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        String store = flink.get(SecurityOptions.SSL_REST_TRUSTSTORE, flink.get(SecurityOptions.SSL_TRUSTSTORE));
        if (store != null) {
            b.sslContext(sslContext(flink, store));
        }
        return b.build();
    }

    private static SSLContext sslContext(Configuration flink, String store) {
        String password = flink.get(
                SecurityOptions.SSL_REST_TRUSTSTORE_PASSWORD, flink.get(SecurityOptions.SSL_TRUSTSTORE_PASSWORD));
        String type = flink.get(SecurityOptions.SSL_REST_TRUSTSTORE_TYPE);
        try (InputStream in = Files.newInputStream(Path.of(store))) {
            KeyStore ks = KeyStore.getInstance(type);
            ks.load(in, password == null ? null : password.toCharArray());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (Exception e) {
            throw new StrataException("cannot read the REST trust store " + store + " (" + type
                    + ", security.ssl.rest.truststore in Flink's configuration): " + e.getMessage()
                    + "; fix the path, password or type");
        }
    }
}
