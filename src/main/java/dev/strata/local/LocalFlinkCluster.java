package dev.strata.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.strata.StrataException;
import dev.strata.flink.rest.FlinkRest;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/**
 * A real Flink session cluster on 127.0.0.1: one JobManager and N TaskManagers, each its own
 * JVM, started from Flink's entry points in flink-runtime on a class path of Flink jars that
 * Maven resolved (flink-jobs/cluster/pom.xml). The dashboard and REST API are on the REST port.
 * Each process writes a pid file and a log file in the data dir, so `stop` and `status` work
 * from any later command, and a test can kill one TaskManager with -9.
 */
public final class LocalFlinkCluster {
    public static final int DEFAULT_REST_PORT = 8081;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** The add-opens of Flink's own start scripts (flink-jvm.properties), plus the Vector API module the kernel uses. */
    public static final List<String> JVM_OPTIONS = jvmOptions();

    private final Path home;
    private final Path dataDir;
    private final int restPort;
    private final int rpcPort;

    public LocalFlinkCluster(Path home, Path dataDir, int restPort, int rpcPort) {
        this.home = home;
        this.dataDir = dataDir.toAbsolutePath();
        this.restPort = restPort;
        this.rpcPort = rpcPort;
    }

    private static List<String> jvmOptions() {
        List<String> options = new ArrayList<>(List.of("--add-modules", "jdk.incubator.vector"));
        options.addAll(FlinkJvmOptions.read());
        return List.copyOf(options);
    }

    public static LocalFlinkCluster defaults() {
        Path home = ProjectHome.find();
        return new LocalFlinkCluster(home, home.resolve(".strata/flink"), DEFAULT_REST_PORT, 6123);
    }

    public String restUrl() {
        return "http://127.0.0.1:" + restPort;
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path savepointDir() {
        return dataDir.resolve("savepoints");
    }

    public FlinkRest rest() {
        return new FlinkRest(restUrl());
    }

    /**
     * Starts the JobManager and {@code taskManagers} TaskManagers and waits until they have all
     * registered. A no-op (returns false) when this cluster's JobManager already answers. After a
     * JobManager crash (kill -9, OOM) the TaskManagers that still run count towards
     * {@code taskManagers} and are kept: they register with the new JobManager on the same
     * address, whereas a second process under the same name would take over their pid file and
     * leave them running unseen by `stop`.
     */
    public boolean start(int taskManagers) {
        if (taskManagers < 1) {
            throw new StrataException("--taskmanagers must be >= 1");
        }
        if (rest().answers()) {
            return false;
        }
        if (LocalKafka.probe(restPort) != LocalKafka.Probe.FREE) {
            throw new StrataException(
                    "port " + restPort + " on 127.0.0.1 is taken by something that is not this cluster; "
                            + "stop it or pick another with --rest-port");
        }
        try {
            Files.createDirectories(dataDir.resolve("conf"));
            Files.createDirectories(dataDir.resolve("log"));
            Files.createDirectories(dataDir.resolve("tmp"));
            writeConfig();
            String cp = classPath();
            launch(
                    "jobmanager",
                    "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint",
                    cp,
                    List.of("-Xmx768m", "-XX:MaxMetaspaceSize=256m"));
            awaitRest();
            for (int running = taskManagerPids().size(); running < taskManagers; running++) {
                startTaskManager(cp, nextTaskManagerNumber());
            }
            awaitTaskManagers(taskManagers);
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the Flink data dir " + dataDir, e);
        }
    }

    /** Adds one more TaskManager (e.g. to replace a killed one); returns its number. */
    public int addTaskManager() {
        int next = nextTaskManagerNumber();
        try {
            startTaskManager(classPath(), next);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return next;
    }

    /**
     * Flink's own command-line client (the class bin/flink runs) with this cluster's
     * configuration, e.g. {@code run -p 1 -d -c dev.strata.job.CurationMain target/strata-job.jar --config curate.yaml}.
     */
    public ProcessBuilder flinkCli(List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx512m");
        cmd.addAll(JVM_OPTIONS);
        cmd.add("-Dlog4j.configurationFile=" + home.resolve("flink-jobs/cluster/log4j2.xml"));
        cmd.add("-Dlog.file=" + logFile("flink-cli"));
        cmd.add("-cp");
        try {
            cmd.add(classPath());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        cmd.add("org.apache.flink.client.cli.CliFrontend");
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        // where bin/flink finds the configuration: the client submits to this cluster's REST port
        pb.environment().put("FLINK_CONF_DIR", dataDir.resolve("conf").toString());
        return pb;
    }

    /** The first TaskManager number without a pid file: a dead one's name (and log) is not reused. */
    private int nextTaskManagerNumber() {
        int next = taskManagerPids().size() + 1;
        while (Files.exists(pidFile("taskmanager-" + next))) {
            next++;
        }
        return next;
    }

    /** Stops every process of this cluster: SIGTERM, then a kill after a grace period. */
    public boolean stop() {
        List<ProcessHandle> all = new ArrayList<>();
        taskManagerPids().values().forEach(all::add);
        process("jobmanager").ifPresent(all::add);
        all.forEach(ProcessHandle::destroy);
        for (ProcessHandle h : all) {
            try {
                h.onExit().get(20, TimeUnit.SECONDS);
            } catch (Exception e) {
                h.destroyForcibly();
            }
        }
        try (DirectoryStream<Path> pids = Files.newDirectoryStream(dataDir, "*.pid")) {
            for (Path p : pids) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // no data dir: nothing was started
        }
        return !all.isEmpty();
    }

    /** Live TaskManager processes by name (taskmanager-1, ...). */
    public Map<String, ProcessHandle> taskManagerPids() {
        Map<String, ProcessHandle> out = new LinkedHashMap<>();
        try (DirectoryStream<Path> pids = Files.newDirectoryStream(dataDir, "taskmanager-*.pid")) {
            for (Path p : pids) {
                String name = p.getFileName().toString().replace(".pid", "");
                process(name).ifPresent(h -> out.put(name, h));
            }
        } catch (IOException e) {
            return out;
        }
        return out;
    }

    public Optional<ProcessHandle> jobManagerPid() {
        return process("jobmanager");
    }

    public Path logFile(String process) {
        return dataDir.resolve("log").resolve(process + ".log");
    }

    // ------------------------------------------------------------------ internals

    private void writeConfig() throws IOException {
        @SuppressWarnings("unchecked")
        Map<String, Object> conf =
                YAML.readValue(home.resolve("flink-jobs/cluster/config.yaml").toFile(), LinkedHashMap.class);
        conf.put("rest.port", restPort);
        conf.put("jobmanager.rpc.port", rpcPort);
        conf.put("io.tmp.dirs", dataDir.resolve("tmp").toString());
        conf.put("web.upload.dir", dataDir.resolve("tmp").toString());
        conf.put(
                "execution.checkpointing.dir",
                dataDir.resolve("checkpoints").toUri().toString());
        conf.put("execution.checkpointing.savepoint-dir", savepointDir().toUri().toString());
        conf.put("metrics.reporter.prom.port", "9249-9260");
        YAML.writeValue(dataDir.resolve("conf/config.yaml").toFile(), conf);
    }

    /** Flink's jars, and ours with the loopback Prometheus reporter that config.yaml names. */
    private String classPath() throws IOException {
        return MavenClassPath.flinkCluster(home) + File.pathSeparator + reporterJar();
    }

    /**
     * A jar of the reporter's two classes and its service entry, copied from this class path as
     * bytes: the classes need Flink's Prometheus jar, which the cluster has and this JVM may not.
     */
    private Path reporterJar() throws IOException {
        Path jar = dataDir.resolve("lib").resolve("strata-loopback-prometheus.jar");
        Files.createDirectories(jar.getParent());
        String pkg = "dev/strata/local/metrics/";
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (String name : List.of("LoopbackPrometheusReporter.class", "LoopbackPrometheusReporterFactory.class")) {
                try (InputStream in = LocalFlinkCluster.class.getClassLoader().getResourceAsStream(pkg + name)) {
                    if (in == null) {
                        throw new StrataException(
                                pkg + name + " is not on the class path; build with `mvn -DskipTests package`");
                    }
                    out.putNextEntry(new JarEntry(pkg + name));
                    in.transferTo(out);
                }
            }
            out.putNextEntry(new JarEntry("META-INF/services/org.apache.flink.metrics.reporter.MetricReporterFactory"));
            out.write("dev.strata.local.metrics.LoopbackPrometheusReporterFactory\n".getBytes(StandardCharsets.UTF_8));
        }
        return jar;
    }

    private void startTaskManager(String cp, int n) throws IOException {
        launch(
                "taskmanager-" + n,
                "org.apache.flink.runtime.taskexecutor.TaskManagerRunner",
                cp,
                // heap = framework + task heap; direct = framework + task off-heap + network (config.yaml)
                List.of("-Xmx896m", "-Xms896m", "-XX:MaxDirectMemorySize=448m", "-XX:MaxMetaspaceSize=256m"),
                "-D",
                "taskmanager.resource-id=taskmanager-" + n);
    }

    private void launch(String name, String mainClass, String cp, List<String> heap, String... extraArgs)
            throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(heap);
        cmd.addAll(JVM_OPTIONS);
        cmd.add("-Dlog.file=" + logFile(name));
        cmd.add("-Dlog4j.configurationFile=" + home.resolve("flink-jobs/cluster/log4j2.xml"));
        cmd.add("-cp");
        cmd.add(cp);
        cmd.add(mainClass);
        cmd.add("--configDir");
        cmd.add(dataDir.resolve("conf").toString());
        cmd.addAll(List.of(extraArgs));
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(dataDir.resolve("log").resolve(name + ".out").toFile())
                .start();
        Files.writeString(pidFile(name), Long.toString(p.pid()));
    }

    private Path pidFile(String name) {
        return dataDir.resolve(name + ".pid");
    }

    private Optional<ProcessHandle> process(String name) {
        try {
            Path file = pidFile(name);
            long pid = Long.parseLong(Files.readString(file).trim());
            Instant written = Files.getLastModifiedTime(file).toInstant();
            // a pid file can outlive its process (kill -9, reboot) and the pid be reused: only the
            // process that started when the file was written counts
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(h -> startedAt(h, written));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static boolean startedAt(ProcessHandle h, Instant written) {
        return h.info()
                .startInstant()
                .map(start -> Math.abs(Duration.between(start, written).toSeconds()) < 30)
                .orElse(true);
    }

    private void awaitRest() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!rest().answers()) {
            if (process("jobmanager").isEmpty()) {
                throw new StrataException("the Flink JobManager exited during start; see " + logFile("jobmanager"));
            }
            if (System.nanoTime() > deadline) {
                throw new StrataException("the Flink JobManager did not answer within " + START_TIMEOUT.toSeconds()
                        + " s; see " + logFile("jobmanager"));
            }
            pause();
        }
    }

    /** Waits until at least {@code count} TaskManagers are registered with the JobManager. */
    public void awaitTaskManagers(int count) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (rest().overview().path("taskmanagers").asInt() < count) {
            if (System.nanoTime() > deadline) {
                throw new StrataException(count + " TaskManager(s) did not register within " + START_TIMEOUT.toSeconds()
                        + " s; see the taskmanager logs in " + dataDir.resolve("log"));
            }
            pause();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(300);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StrataException("interrupted while waiting for the Flink cluster");
        }
    }
}
