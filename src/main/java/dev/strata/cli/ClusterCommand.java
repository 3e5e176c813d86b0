package dev.strata.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.local.LocalFlinkCluster;
import dev.strata.local.ProjectHome;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code strata cluster start|stop|status}: a real Flink session cluster on 127.0.0.1. */
@Command(
        name = "cluster",
        mixinStandardHelpOptions = true,
        description =
                "Run a local Flink session cluster: a JobManager and N TaskManagers as separate JVMs; dashboard on the REST port.",
        subcommands = {ClusterCommand.Start.class, ClusterCommand.Stop.class, ClusterCommand.Status.class})
public class ClusterCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: start, stop or status");
    }

    static class ClusterOptions {
        @Option(
                names = "--data-dir",
                paramLabel = "DIR",
                description = "Config, logs, pid files, checkpoints and savepoints (default: .strata/flink).")
        Path dataDir;

        @Option(
                names = "--rest-port",
                defaultValue = "8081",
                description = "Dashboard and REST port (default: ${DEFAULT-VALUE}).")
        int restPort;

        @Option(
                names = "--rpc-port",
                defaultValue = "6123",
                description = "JobManager RPC port (default: ${DEFAULT-VALUE}).")
        int rpcPort;

        LocalFlinkCluster cluster() {
            Path home = ProjectHome.find();
            return new LocalFlinkCluster(
                    home, dataDir != null ? dataDir : home.resolve(".strata/flink"), restPort, rpcPort);
        }
    }

    @Command(
            name = "start",
            mixinStandardHelpOptions = true,
            description = "Start the cluster (no-op if it already answers).")
    static class Start implements Callable<Integer> {
        @Mixin
        ClusterOptions options;

        @Spec
        CommandSpec spec;

        @Option(
                names = "--taskmanagers",
                defaultValue = "1",
                description = "TaskManagers to start (2 slots each). Default: ${DEFAULT-VALUE}.")
        int taskManagers;

        @Override
        public Integer call() {
            LocalFlinkCluster c = options.cluster();
            PrintWriter out = spec.commandLine().getOut();
            if (c.start(taskManagers)) {
                out.printf(
                        "Flink session cluster started: %d TaskManager(s); dashboard %s; logs %s%n",
                        taskManagers, c.restUrl(), c.dataDir().resolve("log"));
            } else {
                out.printf("Flink session cluster already running; dashboard %s%n", c.restUrl());
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true, description = "Stop the JobManager and every TaskManager.")
    static class Stop implements Callable<Integer> {
        @Mixin
        ClusterOptions options;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            boolean stopped = options.cluster().stop();
            spec.commandLine()
                    .getOut()
                    .println(stopped ? "Flink session cluster stopped" : "no Flink session cluster was running");
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Processes, TaskManagers, slots and jobs.")
    static class Status implements Callable<Integer> {
        @Mixin
        ClusterOptions options;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            LocalFlinkCluster c = options.cluster();
            PrintWriter out = spec.commandLine().getOut();
            if (!c.rest().answers()) {
                out.printf("no Flink JobManager answers at %s%n", c.restUrl());
                out.flush();
                return 1;
            }
            JsonNode o = c.rest().overview();
            out.printf(
                    "Flink %s at %s: %d TaskManager(s), %d/%d slots free, jobs running %d, finished %d, cancelled %d, failed %d%n",
                    o.path("flink-version").asText(),
                    c.restUrl(),
                    o.path("taskmanagers").asInt(),
                    o.path("slots-available").asInt(),
                    o.path("slots-total").asInt(),
                    o.path("jobs-running").asInt(),
                    o.path("jobs-finished").asInt(),
                    o.path("jobs-cancelled").asInt(),
                    o.path("jobs-failed").asInt());
            c.jobManagerPid().ifPresent(h -> out.printf("  jobmanager pid %d%n", h.pid()));
            c.taskManagerPids().forEach((name, h) -> out.printf("  %s pid %d%n", name, h.pid()));
            out.flush();
            return 0;
        }
    }
}
