package dev.strata.bench;

import dev.strata.job.CurateConfig;
import dev.strata.job.CurateSpec;
import dev.strata.job.JobRuntime;
import dev.strata.kafka.KafkaTopics;
import dev.strata.model.ClusterTree;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * One bounded run of the curation job (admission mode) over a topic, on a fresh local Flink, and
 * its timing read back from the curated topic.
 *
 * <p>Two durations, because the whole run carries fixed costs that do not scale with the records:
 * starting the local Flink and deploying the tasks, and at the end the final checkpoint that
 * commits the exactly-once sinks (up to one checkpoint interval of waiting). The curated records
 * carry the time the sink sent them (the serializer gives no timestamp, so the producer stamps
 * send time), so the first and last curated timestamps bracket the processing itself. With about
 * 10% of the items accepted, spread over each leaf's stream, that window misses only the few
 * records before the first and after the last acceptance.
 */
final class StreamJobRun {
    /**
     * @param totalSeconds  submit to job finished, final checkpoint included
     * @param windowSeconds first to last curated record's send time
     * @param cpuCores      CPU time of this JVM over the whole run / its wall time: how much of the machine the
     *                      job got (the broker is another process and not counted)
     */
    record Result(
            long curated,
            double totalSeconds,
            double windowSeconds,
            double startSeconds,
            double endSeconds,
            double cpuCores,
            ThreadCpuMeter.Usage cpu,
            double lateRate) {}

    /** The stretch of the input the late rate is measured over: its second half, to 95% (before the top-up). */
    static final double LATE_FROM = 0.5;

    static final double LATE_TO = 0.95;

    private StreamJobRun() {}

    static Result run(
            String bootstrap,
            String inputTopic,
            long records,
            Path model,
            ClusterTree tree,
            int beam,
            int assignBatch,
            int parallelism,
            double keepFraction,
            long checkpointMillis,
            long assignMaxDelayMs,
            Path checkpointDir,
            String runId,
            String window,
            double beamSlack)
            throws Exception {
        String out = runId + ".curated";
        String dlq = runId + ".dlq";
        KafkaTopics.createTopics(bootstrap, List.of(new NewTopic(out, 4, (short) 1), new NewTopic(dlq, 1, (short) 1)));
        long target = Math.max(1, Math.round(keepFraction * records));
        CurateSpec spec = CurateSpec.of(Map.ofEntries(
                Map.entry("kafka.bootstrapServers", bootstrap),
                Map.entry("kafka.inputTopic", inputTopic),
                Map.entry("kafka.outputTopic", out),
                Map.entry("kafka.deadLetterTopic", dlq),
                Map.entry("kafka.groupId", runId),
                Map.entry("kafka.transactionalIdPrefix", runId),
                Map.entry("model", model.toString()),
                Map.entry("quota.target", target),
                Map.entry("quota.expectedVolume", records),
                Map.entry("beam", beam),
                Map.entry("beamSlack", beamSlack),
                Map.entry("assignBatch", assignBatch),
                Map.entry("assignMaxDelayMs", assignMaxDelayMs),
                Map.entry("bounded", true),
                Map.entry("parallelism", parallelism),
                Map.entry("checkpointing.intervalMs", checkpointMillis),
                Map.entry("checkpointing.dir", checkpointDir.resolve(runId).toString())));
        if (window != null) {
            // budgets per window in event time (the producer's timestamps), T and V per window as
            // for the whole run: a window longer than the production puts every record in one or two
            spec = spec.with(Map.of("quota.window", window));
        }
        CurateConfig cfg = CurateConfig.of(spec).withModel(tree.version(), tree.dim());
        long submitMillis = System.currentTimeMillis();
        long start = System.nanoTime();
        long cpuStart = processCpuNanos();
        ThreadCpuMeter.Usage usage;
        try (ThreadCpuMeter meter = new ThreadCpuMeter()) {
            JobClient job = JobRuntime.startLocal(cfg, tree.top().clusters(), 0, null);
            job.getJobExecutionResult().get();
            usage = meter.stop();
        }
        double total = (System.nanoTime() - start) / 1e9;
        double cores = (processCpuNanos() - cpuStart) / 1e9 / total;
        long endMillis = submitMillis + Math.round(total * 1000);
        TopicScan.Result curated = TopicScan.read(bootstrap, out, 4, true);
        if (curated.records() < 2) {
            return new Result(curated.records(), total, Double.NaN, Double.NaN, Double.NaN, cores, usage, Double.NaN);
        }
        double late = new InputProgress(curated.sends(), records).rate(LATE_FROM, LATE_TO);
        return new Result(
                curated.records(),
                total,
                (curated.maxTimestamp() - curated.minTimestamp()) / 1e3,
                (curated.minTimestamp() - submitMillis) / 1e3,
                (endMillis - curated.maxTimestamp()) / 1e3,
                cores,
                usage,
                late);
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
