package dev.strata.bootstrap.flink;

import dev.strata.StrataException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Entry point of the cluster bootstrap in the job jar (`strata submit flink-jobs/bootstrap.yaml`,
 * `flink run -c dev.strata.bootstrap.flink.BootstrapMain`, the Kubernetes FlinkDeployment).
 * Arguments: {@code --config FILE} or {@code --config-base64 B64} (flink-jobs/bootstrap.yaml).
 * Parallelism: the file's {@code parallelism}, else Flink's (`flink run -p`, parallelism.default).
 */
public final class BootstrapMain {
    private BootstrapMain() {}

    public static void main(String[] args) throws Exception {
        ClusterBootstrapSpec spec = null;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            if (value == null) {
                throw new StrataException(args[i] + " needs a value");
            }
            switch (args[i]) {
                case "--config" -> spec = ClusterBootstrapSpec.parse(Files.readString(Path.of(value)), value, null);
                case "--config-base64" ->
                    spec = ClusterBootstrapSpec.parse(
                            new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8),
                            "submitted configuration",
                            null);
                default ->
                    throw new StrataException(
                            "unknown argument '" + args[i] + "'; use --config FILE or --config-base64 B64");
            }
            i++;
        }
        if (spec == null) {
            throw new StrataException("no job configuration; pass --config FILE (see flink-jobs/bootstrap.yaml)");
        }
        long rows;
        String name;
        try (PoolReader pool = PoolReader.open(spec.input)) {
            rows = pool.rows();
            name = Path.of(spec.input).getFileName().toString();
            spec.levelSpecs(rows); // refuse bad levels here, before any task starts
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        int parallelism = spec.parallelism != null ? spec.parallelism : Math.max(1, env.getParallelism());
        BootstrapJob.build(env, spec, rows, name, parallelism);
        env.execute("strata-bootstrap " + name);
    }
}
