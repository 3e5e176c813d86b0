package dev.strata.job;

import dev.strata.StrataException;
import dev.strata.model.ClusterTree;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Entry point of the job jar on a Flink cluster (`strata submit`, `flink run`, the Kubernetes
 * operator). Arguments: {@code --config FILE} (a flink-jobs/curate.yaml readable where main runs)
 * or {@code --config-base64 B64} (the same YAML inline, as `strata submit` sends it), and
 * optionally {@code --parallelism N} to override the file's.
 */
public final class CurationMain {
    private CurationMain() {
    }

    public static void main(String[] args) throws Exception {
        CurateSpec spec = null;
        Integer parallelism = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (a) {
                case "--config":
                    spec = CurateSpec.read(java.nio.file.Path.of(require(a, value)), null);
                    i++;
                    break;
                case "--config-base64":
                    spec = CurateSpec.parse(new String(Base64.getDecoder().decode(require(a, value)), StandardCharsets.UTF_8),
                            "submitted configuration", null);
                    i++;
                    break;
                case "--parallelism":
                    parallelism = Integer.parseInt(require(a, value));
                    i++;
                    break;
                default:
                    throw new StrataException("unknown argument '" + a + "'; use --config FILE or --config-base64 B64 "
                            + "[--parallelism N]");
            }
        }
        if (spec == null) {
            throw new StrataException("no job configuration; pass --config FILE (see flink-jobs/curate.yaml)");
        }
        ClusterTree tree = ModelLoader.load(spec.config().modelPath(), null);
        CurateConfig cfg = spec.config().withModel(tree.version(), tree.dim());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.configure(Configuration.fromMap(JobRuntime.flinkSettings(spec.checkpointDir(), spec.checkpointIntervalMs())));
        env.enableCheckpointing(spec.checkpointIntervalMs());
        env.setParallelism(parallelism != null ? parallelism : spec.parallelism());
        CurationJob.build(env, cfg, tree.top().clusters());
        env.execute(spec.name());
    }

    private static String require(String flag, String value) {
        if (value == null) {
            throw new StrataException(flag + " needs a value");
        }
        return value;
    }
}
