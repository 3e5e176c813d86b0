package dev.strata.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Only the keys a job file writes reach Flink; the local commands fill in the rest themselves. */
class FlinkSettingsTest {
    private static final CurateSpec SILENT = CurateSpec.of(
            Map.of("kafka.inputTopic", "in", "kafka.outputTopic", "out", "model", "m", "quota.keepFraction", 0.1));

    @Test
    void aJobFileThatLeavesFlinksSettingsOutSetsNone() {
        assertEquals(Map.of(), FlinkSettings.ofJob(SILENT));
        CurateSpec some = SILENT.with(Map.of("checkpointing.timeoutMs", 120_000L, "checkpointing.dir", "s3://b/cp"));
        assertEquals(
                Map.of(
                        "execution.checkpointing.timeout",
                        "120000 ms",
                        "execution.checkpointing.storage",
                        "filesystem",
                        "execution.checkpointing.dir",
                        "s3://b/cp"),
                FlinkSettings.ofJob(some));
    }

    @Test
    void localRunsKeepTheirDefaultsUnderTheJobsOwnKeys() {
        Map<String, String> local = FlinkSettings.local(SILENT);
        assertEquals("2", local.get("parallelism.default"));
        assertEquals("5000 ms", local.get("execution.checkpointing.interval"));
        assertEquals("rocksdb", local.get("state.backend.type"));
        assertTrue(local.get("execution.checkpointing.dir").endsWith(".strata/checkpoints"), local.toString());
        Map<String, String> fast =
                FlinkSettings.local(SILENT.with(Map.of("parallelism", 3, "checkpointing.intervalMs", 500L)));
        assertEquals("3", fast.get("parallelism.default"));
        assertEquals("500 ms", fast.get("execution.checkpointing.interval"));
        // a short interval keeps its rhythm: the pause never exceeds it
        assertEquals("500 ms", fast.get("execution.checkpointing.min-pause"));
    }
}
