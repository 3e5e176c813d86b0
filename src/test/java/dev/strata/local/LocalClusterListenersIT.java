package dev.strata.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `strata cluster start` runs a JobManager and TaskManagers on this machine; none of them may
 * listen beyond it (REST, RPC, blob server, data exchange, Prometheus reporter), and the
 * Prometheus reporter still serves Flink's metrics on 127.0.0.1.
 */
class LocalClusterListenersIT {
    @TempDir
    Path dir;

    @Test
    void everyProcessOfTheSessionClusterListensOnLoopbackOnly() throws Exception {
        LocalFlinkCluster cluster = new LocalFlinkCluster(
                ProjectHome.find(), dir.resolve("flink"), SharedKafka.freePort(), SharedKafka.freePort());
        cluster.start(1);
        try {
            List<ProcessHandle> processes =
                    new ArrayList<>(cluster.taskManagerPids().values());
            processes.add(cluster.jobManagerPid().orElseThrow());
            List<ListeningSockets.Socket> all = new ArrayList<>();
            for (ProcessHandle p : processes) {
                all.addAll(ListeningSockets.of(p.pid()));
            }
            assertFalse(all.isEmpty(), "the cluster listens on nothing: the check would see nothing either");
            assertEquals(
                    List.of(),
                    all.stream().filter(s -> !s.loopback()).toList(),
                    "listening beyond loopback; all: " + all);

            List<ListeningSockets.Socket> reporters =
                    ListeningSockets.of(cluster.jobManagerPid().orElseThrow().pid()).stream()
                            .filter(s -> s.port() >= 9249 && s.port() <= 9260)
                            .toList();
            assertEquals(1, reporters.size(), "one Prometheus reporter on the JobManager; all: " + all);
            HttpResponse<String> metrics = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                                            + reporters.get(0).port() + "/metrics"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertTrue(metrics.body().contains("flink_jobmanager_numRegisteredTaskManagers"), metrics.body());
        } finally {
            cluster.stop();
        }
    }
}
