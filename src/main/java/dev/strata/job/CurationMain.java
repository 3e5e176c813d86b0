package dev.strata.job;

import dev.strata.StrataException;
import dev.strata.kafka.KafkaTopics;
import dev.strata.model.ClusterTree;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;

/**
 * Entry point of the job jar on a Flink cluster (`strata submit`, `flink run`, the Kubernetes
 * operator). Arguments: {@code --config FILE} (a flink-jobs/curate.yaml readable where main runs)
 * or {@code --config-base64 B64} (the same YAML inline, as `strata submit` sends it), and
 * optionally {@code --parallelism N} to override the file's. Flink's settings the file leaves out
 * are the cluster's ({@link FlinkSettings}): `flink run -p 1` runs at parallelism 1.
 */
public final class CurationMain {
    private CurationMain() {}

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
                    spec = CurateSpec.parse(
                            new String(Base64.getDecoder().decode(require(a, value)), StandardCharsets.UTF_8),
                            "submitted configuration",
                            null);
                    i++;
                    break;
                case "--parallelism":
                    parallelism = integer(a, require(a, value));
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
        if (parallelism != null) {
            try {
                spec = spec.with(Map.of("parallelism", parallelism));
            } catch (ConfigProblem p) {
                throw new StrataException(p.render(k -> k.equals("parallelism") ? "--parallelism" : k));
            }
        }
        checkBroker(spec);
        ClusterTree tree = ModelLoader.load(spec.model(), null);
        CurateConfig cfg = CurateConfig.of(spec).withModel(tree.version(), tree.dim());
        // the cluster's configuration (and `flink run -p`) as Flink gives it, the job file's keys over it
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.configure(Configuration.fromMap(FlinkSettings.ofJob(spec)));
        if (spec.parallelism() != null) {
            env.setParallelism(spec.parallelism());
        }
        TransactionTimeouts.check(env.getConfiguration(), spec, " of the Flink configuration");
        CurationJob.build(env, cfg, tree.top().clusters());
        env.execute(spec.name());
    }

    /**
     * The brokers' transaction limit, where they can be asked from here: a job whose sinks the
     * brokers would refuse is not submitted. Unreachable brokers are the job's own retries' business.
     */
    private static void checkBroker(CurateSpec spec) {
        Admin admin = KafkaTopics.admin(spec.kafka().connection());
        try {
            TransactionTimeouts.checkBroker(admin, spec, Duration.ofSeconds(10));
        } finally {
            KafkaTopics.close(admin);
        }
    }

    private static int integer(String flag, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new StrataException(flag + ": \"" + value + "\" is not an integer");
        }
    }

    private static String require(String flag, String value) {
        if (value == null) {
            throw new StrataException(flag + " needs a value");
        }
        return value;
    }
}
