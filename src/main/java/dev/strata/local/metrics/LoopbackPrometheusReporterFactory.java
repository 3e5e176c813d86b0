package dev.strata.local.metrics;

import java.util.Properties;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;
import org.apache.flink.util.PortRange;

/** What `metrics.reporter.prom.factory.class` names in flink-jobs/cluster/config.yaml; ports as Flink's reporter reads them. */
public final class LoopbackPrometheusReporterFactory implements MetricReporterFactory {
    @Override
    public MetricReporter createMetricReporter(Properties properties) {
        return new LoopbackPrometheusReporter(new PortRange(((MetricConfig) properties).getString("port", "9249")));
    }
}
