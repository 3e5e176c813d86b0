package dev.strata.cli;

import dev.strata.StrataException;
import dev.strata.job.CurateSpec;
import dev.strata.kafka.GroupProgress;
import dev.strata.model.ClusterTree;
import dev.strata.sampling.CarryOver;
import dev.strata.sampling.CarryOverFile;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Before a job that continues a run under a new model starts (quota.carryOver): the carry-over
 * fits the job's model, and the job's consumer group has committed exactly the offsets the
 * carry-over counted up to. A group that moved on (the old job still running) or another group
 * (which would read the old run's items again and count them twice) is refused in one line.
 * This takes the place of the check that refuses a fresh start on a used group: here the group
 * is used on purpose, its quotas are in the carry-over.
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
        if (!c.inputTopic().equals(job.kafka().inputTopic())) {
            throw new StrataException(
                    "carry-over " + path + " counts topic '" + c.inputTopic() + "' but the job reads '"
                            + job.kafka().inputTopic() + "'; run `strata carry-over` with this job's file");
        }
        Map<Integer, Long> counted = new TreeMap<>();
        for (CarryOver.PartitionRange r : c.offsets()) {
            if (r.until() > 0) {
                counted.put(r.partition(), r.until());
            }
        }
        String group = job.kafka().groupId();
        Map<Integer, Long> committed = new TreeMap<>(GroupProgress.committedOffsets(
                job.kafka().connection(), group, job.kafka().inputTopic()));
        committed.values().removeIf(o -> o == 0);
        if (!committed.equals(counted)) {
            throw new StrataException("carry-over " + path + " counts " + c.inputTopic() + " up to offsets " + counted
                    + " but consumer group '" + group + "' has committed " + committed
                    + (committed.isEmpty()
                            ? "; the job must keep the old run's group (kafka.groupId: " + c.groupId() + ")"
                            : "; the group moved on since the carry-over was written: stop the job that "
                                    + "consumes with it and run `strata carry-over` again, or resume the continuing "
                                    + "job with --from-savepoint"));
        }
    }
}
