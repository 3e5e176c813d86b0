package dev.strata.cli;

import dev.strata.StrataException;
import dev.strata.assign.LeafAssigners;
import dev.strata.job.CurateConfig;
import dev.strata.job.CurateSpec;
import dev.strata.job.InputDeserializer;
import dev.strata.job.ModelLoader;
import dev.strata.job.QuotaWindows;
import dev.strata.job.WindowTime;
import dev.strata.kafka.GroupProgress;
import dev.strata.kafka.KafkaConnection;
import dev.strata.kafka.TopicExporter;
import dev.strata.local.ProjectHome;
import dev.strata.model.ClusterTree;
import dev.strata.model.ModelFile;
import dev.strata.progress.Progress;
import dev.strata.records.CuratedRecord;
import dev.strata.records.InputRules;
import dev.strata.sampling.CarryOver;
import dev.strata.sampling.CarryOverFile;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code strata carry-over}: what a run has used of its target, mapped through a new model, so
 * a job with the new model continues the run instead of curating T again (docs/operations.md,
 * "Swap a model").
 */
@Command(
        name = "carry-over",
        mixinStandardHelpOptions = true,
        description = {
            "Map what a curation run kept and consumed through a new model, for a job that continues the run with it",
            "(quota.carryOver). Reads the curated topic (read_committed) and the input topic up to the offsets the",
            "run's consumer group committed; stop the run first (with a savepoint, or drained)."
        })
public final class CarryOverCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", required = true, description = "The old run's job file (flink-jobs/curate.yaml).")
    Path config;

    @Option(names = "--model", required = true, description = "The new model file.")
    Path model;

    @Option(names = "--out", required = true, paramLabel = "FILE.json", description = "Carry-over file to write.")
    Path out;

    @Mixin
    KafkaConfigOption kafkaConfig;

    @Override
    public Integer call() {
        CurateSpec job = kafkaConfig.applyTo(CurateSpec.read(config, ProjectHome.find()));
        ClusterTree oldModel = ModelLoader.load(job.model(), null);
        ClusterTree newModel = ModelFile.read(model);
        if (oldModel.dim() != newModel.dim()) {
            throw new StrataException("the new model " + model + " has dimension " + newModel.dim()
                    + " but the run's model " + job.model() + " has " + oldModel.dim()
                    + "; a carry-over maps the same embeddings through another tree");
        }
        QuotaWindows windows = CurateConfig.of(job).windows();
        if (windows != null && windows.time() != WindowTime.EVENT) {
            throw new StrataException(
                    "the run's quota.windowTime is processing: which window the old job's clock put "
                            + "each item in is kept nowhere, so it cannot be carried over; swap models at a window boundary "
                            + "without a carry-over, or run with quota.windowTime: event (docs/operations.md, \"Swap a model\")");
        }
        KafkaConnection kafka = job.kafka().connection();
        String group = job.kafka().groupId();
        String topic = job.kafka().inputTopic();
        Map<Integer, Long> committed = GroupProgress.committedOffsets(kafka, group, topic);
        Progress progress = Progress.stderr();
        Map<String, Long> keptIds = keptIds(kafka, job.kafka().outputTopic(), progress);
        if (keptIds.isEmpty() && committed.values().stream().allMatch(o -> o == 0)) {
            throw new StrataException("the run of consumer group '" + group + "' has consumed and kept nothing yet "
                    + "(no committed offsets of '" + topic + "', nothing in '"
                    + job.kafka().outputTopic()
                    + "'); a new model needs no carry-over then");
        }
        InputRules rules = InputDeserializer.rulesFor(oldModel, job.kafka().maxRecordBytes());
        CarryOver carry;
        Map<Integer, Long> until;
        ConsumedInput.Read first;
        ConsumedInput.Read past;
        try (CarryOverCounts counts = new CarryOverCounts(
                newModel, LeafAssigners.create(newModel, job.beam(), job.beamSlack()), keptIds, windows)) {
            // what the group committed, then what the run read after its last checkpoint up to the
            // last item it kept there: a stop with a savepoint commits the output, not the offsets
            first = ConsumedInput.read(
                    kafka, topic, Map.of(), committed, rules, (d, ts) -> counts.add(d.record(), ts), progress);
            until = ConsumedInput.endOfKept(kafka, topic, committed, counts.keptLeft(), rules, progress);
            past = ConsumedInput.read(
                    kafka, topic, committed, until, rules, (d, ts) -> counts.add(d.record(), ts), progress);
            List<CarryOver.PartitionRange> ranges = new ArrayList<>();
            Map<Integer, Long> begin = new TreeMap<>();
            first.ranges().forEach(r -> begin.put(r.partition(), r.from()));
            for (CarryOver.PartitionRange r : past.ranges()) {
                ranges.add(new CarryOver.PartitionRange(
                        r.partition(), begin.getOrDefault(r.partition(), r.from()), r.until()));
            }
            carry = counts.result(oldModel.version(), newModel.version(), topic, group, ranges);
        }
        CarryOverFile.write(carry, out);
        PrintWriter o = spec.commandLine().getOut();
        o.printf(
                "consumed: %d items of %s (offsets %s; %d records skipped as the job dead-lettered them)%n",
                carry.seenTotal(),
                topic,
                ranges(carry),
                first.invalid().values().stream().mapToLong(Long::longValue).sum()
                        + past.invalid().values().stream()
                                .mapToLong(Long::longValue)
                                .sum());
        o.printf(
                "kept: %d items of %s, %d mapped to the leaves of model %s%n",
                carry.keptTotal(), job.kafka().outputTopic(), carry.keptMapped(), newModel.version());
        if (carry.window() != null) {
            CarryOver.Window w = carry.window();
            o.printf(
                    "window: %s (open when the run stopped): the counts above are that window's; earlier windows had "
                            + "closed and carry nothing%n",
                    java.time.Instant.ofEpochMilli(w.start()));
            if (w.latest() - windows.latenessMillis() < w.start()) {
                // the old job's watermark was behind the window's start: the window before was still open
                o.printf(
                        "the previous window (%s) may not have closed before the stop (the latest timestamp read is "
                                + "within quota.allowedLateness of its end): its top-up never ran and the new job "
                                + "takes its late items as late; stop a run at least quota.allowedLateness after a "
                                + "window boundary%n",
                        java.time.Instant.ofEpochMilli(w.start() - w.sizeMillis()));
            }
        }
        if (carry.keptUnmapped() > 0) {
            o.printf(
                    "%d kept items have no input record left (retention deleted it): they still count against the "
                            + "target, in no leaf%n",
                    carry.keptUnmapped());
        }
        o.printf(
                "wrote %s; continue the run with model: %s and quota.carryOver: %s (the job starts at the offsets above)%n",
                out, model, out);
        o.flush();
        return 0;
    }

    /**
     * The ids a run has curated, each with the window its record names (null without one):
     * committed records of its output topic (tombstones remove, for a changelog).
     */
    private static Map<String, Long> keptIds(KafkaConnection kafka, String topic, Progress progress) {
        Map<String, Long> ids = new java.util.HashMap<>();
        TopicExporter.readCommitted(
                kafka,
                topic,
                r -> {
                    if (r.value() == null) {
                        ids.remove(r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8));
                    } else {
                        try {
                            CuratedRecord c = CuratedRecord.fromJson(r.value());
                            ids.put(c.id(), c.windowStart());
                        } catch (RuntimeException notCurated) {
                            throw new StrataException("record " + r.partition() + "/" + r.offset() + " of '" + topic
                                    + "' is not a curated record (" + notCurated.getMessage()
                                    + "); kafka.outputTopic of the job file must be the run's curated topic");
                        }
                    }
                },
                progress);
        return ids;
    }

    private static String ranges(CarryOver carry) {
        StringBuilder sb = new StringBuilder();
        for (CarryOver.PartitionRange r : carry.offsets()) {
            sb.append(sb.length() == 0 ? "" : ", ")
                    .append(r.partition())
                    .append(": ")
                    .append(r.from())
                    .append("..")
                    .append(r.until());
        }
        return sb.toString();
    }
}
