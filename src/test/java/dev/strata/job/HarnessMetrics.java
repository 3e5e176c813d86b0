package dev.strata.job;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.api.common.JobID;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.clusterframework.types.ResourceID;
import org.apache.flink.runtime.executiongraph.ExecutionAttemptID;
import org.apache.flink.runtime.metrics.groups.TaskManagerMetricGroup;
import org.apache.flink.runtime.metrics.util.TestingMetricRegistry;
import org.apache.flink.runtime.operators.testutils.MockEnvironment;
import org.apache.flink.runtime.operators.testutils.MockEnvironmentBuilder;

/**
 * The metrics an operator registers inside a test harness, by name. Flink's harness gives the
 * operator an unregistered metric group that drops everything; this one is a real task metric
 * group on a registry that keeps what is registered, so a test can read the very counters and
 * gauges the dashboard shows. One instance per harness (a restored operator registers anew).
 */
final class HarnessMetrics implements AutoCloseable {
    private final Map<String, Metric> byName = new ConcurrentHashMap<>();
    private final MockEnvironment environment;

    HarnessMetrics() {
        TestingMetricRegistry registry = TestingMetricRegistry.builder()
                .setRegisterConsumer((metric, name, group) -> byName.put(name, metric))
                .build();
        environment = new MockEnvironmentBuilder()
                .setMetricGroup(TaskManagerMetricGroup.createTaskManagerMetricGroup(
                                registry, "localhost", ResourceID.generate())
                        .addJob(new JobID(), "harness")
                        .addTask(ExecutionAttemptID.randomId(), "harness"))
                .build();
    }

    /** The environment to build the harness with. */
    MockEnvironment environment() {
        return environment;
    }

    long counter(String name) {
        Metric m = byName.get(name);
        return m == null ? 0 : ((Counter) m).getCount();
    }

    Object gauge(String name) {
        Metric m = byName.get(name);
        if (m == null) {
            throw new AssertionError("no gauge '" + name + "' registered; have " + byName.keySet());
        }
        return ((Gauge<?>) m).getValue();
    }

    @Override
    public void close() throws Exception {
        environment.close();
    }
}
