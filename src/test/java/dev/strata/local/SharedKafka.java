package dev.strata.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One real Kafka broker per test JVM, shared by every test class that uses
 * {@code @ExtendWith(SharedKafka.class)}: started on free ports with a temp data dir the first
 * time a class needs it, stopped and deleted when the JUnit engine finishes (the root store
 * closes it), with a shutdown hook as a backstop so an aborted run leaves no broker behind.
 * Tests get it as a {@link LocalKafka} parameter or from {@link #broker()}.
 */
public final class SharedKafka implements BeforeAllCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(SharedKafka.class);
    private static volatile Running running;

    @Override
    public void beforeAll(ExtensionContext context) {
        running =
                context.getRoot().getStore(NS).getOrComputeIfAbsent(Running.class, k -> Running.start(), Running.class);
    }

    /** The shared broker; only valid inside a test class extended with SharedKafka. */
    public static LocalKafka broker() {
        if (running == null) {
            throw new IllegalStateException("annotate the test class with @ExtendWith(SharedKafka.class)");
        }
        return running.kafka;
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
        return p.getParameter().getType() == LocalKafka.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext e) {
        return broker();
    }

    /** A free TCP port on 127.0.0.1 (free now; the broker binds it moments later). */
    /**
     * A broker of its own for a test, on free ports, with half the default heap and more time to
     * start: several test JVMs run brokers side by side on a shared machine.
     */
    public static LocalKafka testBroker(Path dataDir) {
        return new LocalKafka(ProjectHome.find(), dataDir, freePort(), freePort(), "512m")
                .withStartTimeout(Duration.ofSeconds(120));
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static final class Running implements AutoCloseable {
        final LocalKafka kafka;
        final Path dataDir;
        private final Thread hook;
        private boolean closed;

        private Running(LocalKafka kafka, Path dataDir) {
            this.kafka = kafka;
            this.dataDir = dataDir;
            this.hook = new Thread(kafka::stop, "stop-test-kafka");
            Runtime.getRuntime().addShutdownHook(hook);
        }

        static Running start() {
            try {
                Path dir = Files.createTempDirectory("strata-kafka-it-");
                LocalKafka kafka = testBroker(dir);
                long t0 = System.nanoTime();
                kafka.start();
                System.err.printf(
                        "shared test broker up on %s in %.1f s (data %s)%n",
                        kafka.bootstrapServers(), (System.nanoTime() - t0) / 1e9, dir);
                return new Running(kafka, dir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            kafka.stop();
            deleteTree(dataDir);
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down: the hook runs anyway and stop() is idempotent
            }
        }
    }
}
