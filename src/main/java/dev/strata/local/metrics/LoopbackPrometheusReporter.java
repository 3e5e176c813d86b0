package dev.strata.local.metrics;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.HTTPServer;
import java.io.IOException;
import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.util.Iterator;
import org.apache.flink.metrics.prometheus.AbstractPrometheusReporter;
import org.apache.flink.util.PortRange;

/**
 * Flink's Prometheus reporter serving on 127.0.0.1 only, for the local session cluster. Flink's
 * own PrometheusReporter binds every interface and has no setting for the address, so a laptop
 * on a shared network would publish its job's metrics. The metrics and their names are Flink's
 * (the base class); only the HTTP server is ours.
 */
public final class LoopbackPrometheusReporter extends AbstractPrometheusReporter {
    static final String HOST = "127.0.0.1";

    private final HTTPServer server;

    LoopbackPrometheusReporter(PortRange ports) {
        CollectorRegistry registry = registry();
        HTTPServer started = null;
        for (Iterator<Integer> it = ports.getPortsIterator(); it.hasNext() && started == null; ) {
            int port = it.next();
            try {
                started = new HTTPServer(new InetSocketAddress(HOST, port), registry, true);
                log.info("Started the Prometheus reporter on {}:{}", HOST, port);
            } catch (IOException e) {
                log.debug("Port {} is taken, trying the next", port, e);
            }
        }
        if (started == null) {
            throw new IllegalStateException("no free port for the Prometheus reporter on " + HOST + " in " + ports);
        }
        server = started;
    }

    /** The base class registers Flink's metrics in a registry of its own that it does not expose. */
    private CollectorRegistry registry() {
        try {
            Field f = AbstractPrometheusReporter.class.getDeclaredField("registry");
            f.setAccessible(true);
            return (CollectorRegistry) f.get(this);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(
                    "this Flink's Prometheus reporter keeps no registry field; update "
                            + LoopbackPrometheusReporter.class.getName(),
                    e);
        }
    }

    @Override
    public void close() {
        server.stop();
        super.close();
    }
}
