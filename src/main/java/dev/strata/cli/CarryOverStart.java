package dev.strata.cli;

import dev.strata.StrataException;
import dev.strata.job.CurateSpec;
import dev.strata.kafka.GroupProgress;
import dev.strata.model.ClusterTree;
import dev.strata.sampling.CarryOver;
import dev.strata.sampling.CarryOverFile;
import java.nio.file.Path;
import java.util.Map;

/**
 * Before a job that continues a run under a new model starts (quota.carryOver): the carry-over
 * fits the job (its model, its input topic), and no consumer of the job's group has read past
 * where the carry-over ends: a group that has committed more (the old job still running, or the
 * continuing job already checkpointed: resume that one with --from-savepoint) would be counted
 * twice. The job itself starts at the carry-over's offsets. This takes the place of the check that
 * refuses a fresh start on a used group: here the group is used on purpose, its quotas are in the
 * carry-over.
 */
final class CarryOverStart {
    private CarryOverStart() {}

    static void check(CurateSpec job, ClusterTree model) {
        String path = job.quota().carryOver();
        if (path.contains("://")) {
            return; // read by the tasks through Flink's file systems; they check the model's version
        }
        CarryOver c = CarryOverFile.read(Path.of(path));
        if (!c.newModelVersion().equals(model.version())) {
            throw new StrataException("carry-over " + path + " was mapped through model version "
                    + c.newModelVersion() + " but the job's model " + job.model() + " is version " + model.version()
                    + "; run `strata carry-over --model " + job.model() + "` again");
        }
        String window = dev.strata.job.CarryOverLoader.windowMismatch(
                c, dev.strata.job.CurateConfig.of(job).windows(), path);
        if (window != null) {
            throw new StrataException(window);
        }
        if (!c.inputTopic().equals(job.kafka().inputTopic())) {
            throw new StrataException(
                    "carry-over " + path + " counts topic '" + c.inputTopic() + "' but the job reads '"
                            + job.kafka().inputTopic() + "'; run `strata carry-over` with this job's file");
        }
        String group = job.kafka().groupId();
        Map<Integer, Long> committed = GroupProgress.committedOffsets(
                job.kafka().connection(), group, job.kafka().inputTopic());
        for (CarryOver.PartitionRange r : c.offsets()) {
            long done = committed.getOrDefault(r.partition(), 0L);
            if (done > r.until()) {
                throw new StrataException("consumer group '" + group + "' has committed offset " + done
                        + " of partition " + r.partition() + " of " + c.inputTopic() + ", past the carry-over's "
                        + r.until() + ": a job has read on since " + path + " was written; stop it and run "
                        + "`strata carry-over` again, or resume the continuing job with --from-savepoint");
            }
        }
    }
}
