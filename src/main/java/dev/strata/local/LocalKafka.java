package dev.strata.local;

import dev.strata.StrataException;
import dev.strata.kafka.KafkaTopics;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;

/**
 * A real single-node Kafka broker (KRaft, broker and controller in one JVM) run as a separate
 * process from jars Maven resolved, so there is nothing to install and no Docker. Everything it
 * owns lives in one data dir: generated server.properties, the log dirs, broker.log, broker.pid
 * and the cluster id. Stopping and starting on the same data dir keeps the topics and records.
 */
public final class LocalKafka {
    public static final String HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 9092;

    private final Path home;
    private final Path dataDir;
    private final int port;
    private final int controllerPort;
    private final String heap;
    private final Duration startTimeout;
    private final Duration stopTimeout;
    private final List<Listener> extraListeners;
    private final Map<String, String> extraSettings;

    /**
     * A listener beside the PLAINTEXT one, named by its security protocol (SASL_PLAINTEXT, SSL,
     * SASL_SSL) and bound to 127.0.0.1 like the others; tests use it to reach the broker the way a
     * secured production cluster is reached.
     */
    public record Listener(String protocol, int port) {
        public Listener {
            if (!List.of("SASL_PLAINTEXT", "SSL", "SASL_SSL").contains(protocol)) {
                throw new StrataException("listener protocol must be SASL_PLAINTEXT, SSL or SASL_SSL, got " + protocol);
            }
        }
    }

    /** What a port has behind it. */
    public enum Probe {
        FREE,
        KAFKA,
        OTHER
    }

    /** Where things stand: whether a broker answers and whether this data dir's broker process lives. */
    public record Status(Probe port, OptionalLong pid, String bootstrapServers, Path dataDir, Path logFile) {
        public boolean answering() {
            return port == Probe.KAFKA;
        }
    }

    public LocalKafka(Path home, Path dataDir, int port, int controllerPort) {
        this(home, dataDir, port, controllerPort, "1g");
    }

    /** With the broker's heap (-Xmx, e.g. "512m"): the tests run several brokers side by side. */
    LocalKafka(Path home, Path dataDir, int port, int controllerPort, String heap) {
        this(
                home,
                dataDir,
                port,
                controllerPort,
                heap,
                Duration.ofSeconds(90),
                Duration.ofSeconds(30),
                List.of(),
                Map.of());
    }

    private LocalKafka(
            Path home,
            Path dataDir,
            int port,
            int controllerPort,
            String heap,
            Duration startTimeout,
            Duration stopTimeout,
            List<Listener> extraListeners,
            Map<String, String> extraSettings) {
        if (port == controllerPort) {
            throw new StrataException(
                    "client port and controller port are both " + port + "; pick two different ports");
        }
        this.home = home.toAbsolutePath().normalize();
        this.dataDir = dataDir.toAbsolutePath().normalize();
        this.port = port;
        this.controllerPort = controllerPort;
        this.heap = heap;
        this.startTimeout = startTimeout;
        this.stopTimeout = stopTimeout;
        this.extraListeners = List.copyOf(extraListeners);
        this.extraSettings = Map.copyOf(extraSettings);
    }

    /** The broker of this checkout: project home found as usual, data in .strata/kafka, ports 9092/9093. */
    public static LocalKafka defaults() {
        Path home = ProjectHome.find();
        return new LocalKafka(home, defaultDataDir(home), DEFAULT_PORT, DEFAULT_PORT + 1);
    }

    public static Path defaultDataDir(Path home) {
        return home.resolve(".strata/kafka");
    }

    public LocalKafka withStartTimeout(Duration timeout) {
        return new LocalKafka(
                home, dataDir, port, controllerPort, heap, timeout, stopTimeout, extraListeners, extraSettings);
    }

    /**
     * The same broker with one more listener and the broker settings it needs (e.g.
     * sasl.enabled.mechanisms, ssl.keystore.*, listener.name.&lt;name&gt;.* keys). The PLAINTEXT
     * listener stays: the launcher and the broker itself (inter-broker traffic) use it.
     */
    public LocalKafka withListener(Listener listener, Map<String, String> settings) {
        List<Listener> listeners = new ArrayList<>(extraListeners);
        listeners.add(listener);
        Map<String, String> all = new TreeMap<>(extraSettings);
        all.putAll(settings);
        return new LocalKafka(home, dataDir, port, controllerPort, heap, startTimeout, stopTimeout, listeners, all);
    }

    /** host:port of the extra listener with this protocol. */
    public String bootstrapServers(String protocol) {
        return extraListeners.stream()
                .filter(l -> l.protocol().equals(protocol))
                .findFirst()
                .map(l -> HOST + ":" + l.port())
                .orElseThrow(() -> new StrataException("this broker has no " + protocol + " listener"));
    }

    public String bootstrapServers() {
        return HOST + ":" + port;
    }

    public int port() {
        return port;
    }

    public int controllerPort() {
        return controllerPort;
    }

    public Path home() {
        return home;
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path logFile() {
        return dataDir.resolve("broker.log");
    }

    public Path pidFile() {
        return dataDir.resolve("broker.pid");
    }

    private Path consoleFile() {
        return dataDir.resolve("broker.out");
    }

    private Path logDirs() {
        return dataDir.resolve("log");
    }

    /** The default topics of kafka/topics.properties. */
    public List<NewTopic> defaultTopics() {
        return TopicSpecs.load(home.resolve("kafka/topics.properties"));
    }

    /** Creates missing topics (idempotent); returns the names created by this call. */
    public static List<String> createTopics(String bootstrapServers, List<NewTopic> topics) {
        return KafkaTopics.createTopics(bootstrapServers, topics);
    }

    // ------------------------------------------------------------------ lifecycle

    /**
     * Starts the broker and returns once it answers an admin describeCluster.
     *
     * @return false (and does nothing) when a Kafka broker already answers on the port
     */
    public boolean start() {
        switch (probe(port)) {
            case KAFKA:
                return false;
            case OTHER:
                throw new StrataException(
                        "port " + port + " on " + HOST + " is taken by something that is not a Kafka broker;"
                                + " stop it or pick another port with --port");
            default:
                break;
        }
        Optional<ProcessHandle> running = runningBroker();
        if (running.isPresent()) {
            // started from this data dir but not answering yet (a start in progress, or a hung broker)
            waitUntilReady(running.get(), null);
            return true;
        }
        if (isListening(controllerPort)) {
            throw new StrataException("controller port " + controllerPort + " on " + HOST
                    + " is taken; stop what uses it or pick another with --controller-port");
        }
        try {
            Files.createDirectories(dataDir);
            Files.deleteIfExists(pidFile());
            String classPath = MavenClassPath.kafkaBroker(home);
            Path props = writeServerProperties();
            if (!Files.exists(logDirs().resolve("meta.properties"))) {
                format(classPath, props);
            }
            Process process = launch(classPath, props);
            Files.writeString(pidFile(), Long.toString(process.pid()));
            waitUntilReady(process.toHandle(), process);
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the Kafka data dir " + dataDir, e);
        }
    }

    /**
     * Stops the broker started from this data dir: SIGTERM (a clean shutdown that keeps the data),
     * then a kill if it has not exited within the stop timeout.
     *
     * @return false when no broker from this data dir was running
     */
    public boolean stop() {
        Optional<ProcessHandle> running = runningBroker();
        if (running.isEmpty()) {
            deletePidFile();
            return false;
        }
        ProcessHandle h = running.get();
        h.destroy();
        if (!awaitExit(h, stopTimeout)) {
            h.destroyForcibly();
            if (!awaitExit(h, Duration.ofSeconds(10))) {
                throw new StrataException(
                        "Kafka broker (pid " + h.pid() + ") did not exit even after a kill; see " + logFile());
            }
        }
        deletePidFile();
        return true;
    }

    public Status status() {
        OptionalLong pid = runningBroker().map(h -> OptionalLong.of(h.pid())).orElse(OptionalLong.empty());
        return new Status(probe(port), pid, bootstrapServers(), dataDir, logFile());
    }

    // ------------------------------------------------------------------ process

    private Path writeServerProperties() throws IOException {
        Properties template = new Properties();
        try (var in = Files.newBufferedReader(home.resolve("kafka/server.properties"))) {
            template.load(in);
        }
        StringBuilder listeners =
                new StringBuilder("PLAINTEXT://" + HOST + ":" + port + ",CONTROLLER://" + HOST + ":" + controllerPort);
        StringBuilder advertised = new StringBuilder("PLAINTEXT://" + HOST + ":" + port);
        StringBuilder protocols = new StringBuilder("PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        for (Listener l : extraListeners) {
            listeners
                    .append(',')
                    .append(l.protocol())
                    .append("://")
                    .append(HOST)
                    .append(':')
                    .append(l.port());
            advertised
                    .append(',')
                    .append(l.protocol())
                    .append("://")
                    .append(HOST)
                    .append(':')
                    .append(l.port());
            protocols.append(',').append(l.protocol()).append(':').append(l.protocol());
        }
        template.setProperty("listeners", listeners.toString());
        template.setProperty("advertised.listeners", advertised.toString());
        template.setProperty("listener.security.protocol.map", protocols.toString());
        extraSettings.forEach(template::setProperty);
        template.setProperty(
                "controller.quorum.voters", template.getProperty("node.id", "1") + "@" + HOST + ":" + controllerPort);
        template.setProperty("log.dirs", logDirs().toString());
        StringBuilder sb = new StringBuilder("# generated by dev.strata.local.LocalKafka from ")
                .append(home.resolve("kafka/server.properties"))
                .append("; edit that file instead\n");
        for (Map.Entry<Object, Object> e : new TreeMap<>(template).entrySet()) {
            sb.append(e.getKey()).append('=').append(e.getValue()).append('\n');
        }
        Path out = dataDir.resolve("server.properties");
        Files.writeString(out, sb.toString(), StandardCharsets.UTF_8);
        return out;
    }

    private String clusterId() throws IOException {
        Path file = dataDir.resolve("cluster.id");
        if (Files.exists(file)) {
            return Files.readString(file).trim();
        }
        String id = Uuid.randomUuid().toString();
        Files.writeString(file, id);
        return id;
    }

    private List<String> javaCommand(String classPath, String heapSize) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx" + heapSize);
        // the flags of Kafka's own start script
        cmd.add("-XX:+UseG1GC");
        cmd.add("-XX:MaxGCPauseMillis=20");
        cmd.add("-XX:InitiatingHeapOccupancyPercent=35");
        cmd.add("-XX:+ExplicitGCInvokesConcurrent");
        cmd.add("-Djava.awt.headless=true");
        cmd.add("-Dlog4j2.configurationFile=" + home.resolve("kafka/log4j2.xml"));
        cmd.add("-Dstrata.kafka.logDir=" + dataDir);
        cmd.add("-cp");
        cmd.add(classPath);
        return cmd;
    }

    private void format(String classPath, Path props) throws IOException {
        List<String> cmd = javaCommand(classPath, "256m");
        cmd.addAll(List.of(
                "kafka.tools.StorageTool", "format", "-t", clusterId(), "-c", props.toString(), "--ignore-formatted"));
        Path out = dataDir.resolve("storage-format.log");
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .start();
        try {
            if (!p.waitFor(2, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new StrataException("formatting the Kafka storage in " + logDirs() + " hung; see " + out);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new StrataException("interrupted while formatting the Kafka storage");
        }
        if (p.exitValue() != 0) {
            throw new StrataException("formatting the Kafka storage in " + logDirs() + " failed (exit " + p.exitValue()
                    + "): " + lastLine(out) + "; see " + out + ", or delete " + dataDir + " to start from scratch");
        }
    }

    /** The last non-blank line of a tool's output, so that the one-line error says why (temp dirs go away). */
    private static String lastLine(Path out) {
        try (var lines = Files.lines(out)) {
            return lines.map(String::strip)
                    .filter(l -> !l.isEmpty())
                    .reduce((a, b) -> b)
                    .orElse("no output");
        } catch (IOException | java.io.UncheckedIOException e) {
            return "its output is unreadable (" + e.getMessage() + ")";
        }
    }

    private Process launch(String classPath, Path props) throws IOException {
        List<String> cmd = javaCommand(classPath, heap);
        cmd.add("kafka.Kafka");
        cmd.add(props.toString());
        // output to a file, stdin from nowhere: the broker must outlive the command that started it
        return new ProcessBuilder(cmd)
                .directory(dataDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(consoleFile().toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
    }

    private void waitUntilReady(ProcessHandle handle, Process process) {
        long deadline = System.nanoTime() + startTimeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!handle.isAlive()) {
                deletePidFile();
                String exit = process == null ? "" : " (exit " + process.exitValue() + ")";
                throw new StrataException(
                        "Kafka broker exited during start" + exit + lastError() + "; see " + logFile());
            }
            if (probe(port) == Probe.KAFKA) {
                return;
            }
            sleep(200);
        }
        handle.destroyForcibly();
        deletePidFile();
        throw new StrataException("Kafka broker did not answer on " + bootstrapServers() + " within "
                + startTimeout.toSeconds() + " s" + lastError() + "; see " + logFile());
    }

    /** The live broker process recorded in this data dir's pid file, if it really is a Kafka broker. */
    private Optional<ProcessHandle> runningBroker() {
        Path pidFile = pidFile();
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        long pid;
        try {
            pid = Long.parseLong(Files.readString(pidFile).trim());
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(LocalKafka::looksLikeBroker);
    }

    /** Guards against a recycled pid: never signal a process that is not kafka.Kafka. */
    private static boolean looksLikeBroker(ProcessHandle h) {
        Optional<String[]> args = h.info().arguments();
        if (args.isEmpty()) {
            return true; // the OS hides the command line; the pid file is all we have
        }
        for (String a : args.get()) {
            if (a.equals("kafka.Kafka")) {
                return true;
            }
        }
        return false;
    }

    private static boolean awaitExit(ProcessHandle h, Duration timeout) {
        try {
            h.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !h.isAlive();
        } catch (ExecutionException e) {
            return !h.isAlive();
        }
    }

    private void deletePidFile() {
        try {
            Files.deleteIfExists(pidFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + pidFile(), e);
        }
    }

    /** The last ERROR line the broker wrote, to make a failed start explain itself in one line. */
    private String lastError() {
        String found = null;
        for (Path f : List.of(logFile(), consoleFile())) {
            if (!Files.exists(f)) {
                continue;
            }
            try {
                for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                    if (line.contains(" ERROR ") || line.startsWith("ERROR") || line.contains("Exception:")) {
                        found = line.trim();
                    }
                }
            } catch (IOException | UncheckedIOException e) {
                // unreadable log: the message still points at the file
            }
        }
        if (found == null) {
            return "";
        }
        return ": " + (found.length() > 240 ? found.substring(0, 237) + "..." : found);
    }

    // ------------------------------------------------------------------ probing

    /** FREE when nothing listens, KAFKA when a broker answers describeCluster, OTHER otherwise. */
    public static Probe probe(int port) {
        if (!isListening(port)) {
            return Probe.FREE;
        }
        Admin admin = KafkaTopics.admin(HOST + ":" + port);
        try {
            admin.describeCluster().clusterId().get(5, TimeUnit.SECONDS);
            return Probe.KAFKA;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return Probe.OTHER;
        } finally {
            KafkaTopics.close(admin);
        }
    }

    private static boolean isListening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(HOST, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StrataException("interrupted while waiting for the Kafka broker");
        }
    }
}
