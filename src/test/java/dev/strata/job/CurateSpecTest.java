package dev.strata.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.StrataException;
import dev.strata.sampling.LeafStrategy;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CurateSpecTest {
    private static final String MINIMAL = "kafka:\n  inputTopic: in\n  outputTopic: out\nmodel: m.strata\n"
            + "quota:\n  target: 10\n  expectedVolume: 100\n";

    private static String refused(String yaml) {
        return assertThrows(StrataException.class, () -> CurateSpec.parse(yaml, "curate.yaml", null))
                .getMessage();
    }

    @Test
    void defaultsAndRelativePaths() {
        CurateSpec s = CurateSpec.parse(MINIMAL, "t", Path.of("/project"));
        assertEquals("in.dlq", s.kafka().deadLetterTopic());
        assertEquals("strata-out", s.kafka().groupId());
        assertEquals("strata-strata-out-out", s.kafka().transactionalIdPrefix());
        assertEquals("/project/m.strata", s.model());
        assertEquals(EmitMode.ADMISSION, s.mode());
        // Flink's settings the file leaves out stay unset: the Flink configuration decides
        assertEquals(null, s.parallelism());
        assertEquals(null, s.checkpointing().intervalMs());
        assertEquals(null, s.checkpointing().dir());
    }

    @Test
    void aCarryOverIsAPathLikeTheModelAndOnlyForAdmission() {
        String carried = MINIMAL.replace("quota:\n", "quota:\n  carryOver: swap/carry.json\n");
        assertEquals(
                "/project/swap/carry.json",
                CurateSpec.parse(carried, "t", Path.of("/project")).quota().carryOver());
        assertEquals(
                "curate.yaml: quota.carryOver: needs mode admission (exact mode's candidate lists cannot be carried to "
                        + "another model); remove quota.carryOver or set mode to admission",
                refused(carried + "mode: exact\n"));
        assertEquals(
                "curate.yaml: quota.carryOver: needs a value",
                refused(MINIMAL.replace("quota:\n", "quota:\n  carryOver:\n")));
        // budgets per window take a carry-over in event time, whose windows Kafka's timestamps define
        String windowed = carried.replace("expectedVolume: 100\n", "window: 1h\n");
        assertEquals(
                "/project/swap/carry.json",
                CurateSpec.parse(windowed, "t", Path.of("/project")).quota().carryOver());
        assertEquals(
                "curate.yaml: quota.carryOver: not with quota.windowTime processing (which window the old job's clock "
                        + "put each item in is kept nowhere); remove quota.carryOver and swap at a window boundary",
                refused(windowed + "  windowTime: processing\n"));
    }

    @Test
    void objectStoragePathsStayAsWritten() {
        CurateSpec s = CurateSpec.parse(MINIMAL.replace("m.strata", "s3://bucket/m.strata"), "t", Path.of("/p"));
        assertEquals("s3://bucket/m.strata", s.model());
    }

    @Test
    void yamlRoundTripKeepsEverything() {
        String yaml = MINIMAL + "mode: exact\nstrategy: closest\nbeam: 4\nseed: 9\nparallelism: 3\n"
                + "checkpointing:\n  intervalMs: 700\n  dir: s3://b/cp\n";
        CurateSpec a = CurateSpec.parse(yaml, "t", Path.of("/p"));
        CurateSpec b = CurateSpec.parse(a.toYaml(), "again", null);
        assertEquals(a, b);
        assertEquals(LeafStrategy.CLOSEST, b.strategy());
        assertEquals(4, b.beam());
        assertEquals(700, b.checkpointing().intervalMs());
        assertEquals(3, b.parallelism());
    }

    @Test
    void typosAndMissingKeysAreRefusedWithTheirName() {
        assertTrue(refused(MINIMAL + "paralelism: 3\n").contains("paralelism"));
        String nested = refused(MINIMAL.replace("  outputTopic: out\n", "  outputTopic: out\n  groupID: g\n"));
        assertTrue(nested.contains("kafka.groupID") && nested.contains("groupId"), nested);
        assertTrue(refused(MINIMAL.replace("quota:\n", "quota:\n  keepFraction: 0.1\n"))
                .contains("not both"));
        assertEquals("curate.yaml: missing model", refused(MINIMAL.replace("model: m.strata\n", "")));
        assertEquals("curate.yaml: missing kafka.inputTopic", refused(MINIMAL.replace("  inputTopic: in\n", "")));
        String closest = refused(MINIMAL + "strategy: closest\n");
        assertTrue(closest.startsWith("curate.yaml: strategy: closest needs mode exact"), closest);
    }

    /** Each of these ran with a silent default before: target 0, parallelism 2, seed 0, interval 5000. */
    @Test
    void mistypedValuesAreRefusedWithTheKeyAndWhatWasWritten() {
        assertEquals(
                "curate.yaml: quota.target: \"5k\" is not an integer",
                refused(MINIMAL.replace("target: 10", "target: 5k")));
        assertEquals("curate.yaml: parallelism: \"four\" is not an integer", refused(MINIMAL + "parallelism: four\n"));
        assertEquals("curate.yaml: seed: \"0x2A\" is not an integer", refused(MINIMAL + "seed: \"0x2A\"\n"));
        assertEquals(
                "curate.yaml: checkpointing.intervalMs: \"soon\" is not an integer",
                refused(MINIMAL + "checkpointing:\n  intervalMs: soon\n"));
        assertEquals("curate.yaml: bounded: \"maybe\" is not true or false", refused(MINIMAL + "bounded: maybe\n"));
        assertEquals(
                "curate.yaml: quota.target: 10.5 is not an integer",
                refused(MINIMAL.replace("target: 10", "target: 10.5")));
        assertEquals("curate.yaml: mode: \"fast\" is not one of admission, exact", refused(MINIMAL + "mode: fast\n"));
        assertEquals("curate.yaml: mode: 1 is not one of admission, exact", refused(MINIMAL + "mode: 1\n"));
        assertEquals(
                "curate.yaml: quota.keepFraction: \"10%\" is not a number",
                refused(MINIMAL.replace("  target: 10\n  expectedVolume: 100\n", "  keepFraction: 10%\n")));
        assertEquals(
                "curate.yaml: kafka: \"in\" is not a mapping",
                refused(MINIMAL.replaceFirst("kafka:\n", "kafka: in\nx:\n")
                        .replace("x:\n  inputTopic: in\n  outputTopic: out\n", "")));
        assertEquals("curate.yaml: seed: needs a value", refused(MINIMAL + "seed:\n"));
        assertTrue(refused(MINIMAL + "parallelism: 99999999999\n")
                .startsWith("curate.yaml: parallelism: 99999999999 is out"));
        assertTrue(refused(MINIMAL + "seed: 1\nseed: 2\n").contains("seed"));
    }

    /** YAML's own integer forms are integers, and enum labels are read in any case. */
    @Test
    void yamlIntegersAndLabelsBindAsWritten() {
        CurateSpec s = CurateSpec.parse(MINIMAL + "seed: 0x2A\nmode: Exact\n", "t", null);
        assertEquals(42, s.seed());
        assertEquals(EmitMode.EXACT, s.mode());
    }

    @Test
    void valuesOutOfRangeAreRefusedWithTheKey() {
        assertEquals(
                "curate.yaml: parallelism: must be between 1 and 32768, got 0", refused(MINIMAL + "parallelism: 0\n"));
        assertEquals(
                "curate.yaml: quota.target: must be >= 1, got 0", refused(MINIMAL.replace("target: 10", "target: 0")));
        assertEquals(
                "curate.yaml: quota.expectedVolume: must be >= 1, got -5",
                refused(MINIMAL.replace("expectedVolume: 100", "expectedVolume: -5")));
        assertEquals(
                "curate.yaml: quota.keepFraction: must be in (0, 1], got 1.5",
                refused(MINIMAL.replace("  target: 10\n  expectedVolume: 100\n", "  keepFraction: 1.5\n")));
        assertEquals("curate.yaml: beam: must be >= 0, got -1", refused(MINIMAL + "beam: -1\n"));
        assertEquals(
                "curate.yaml: beamSlack: must be in [0, 1] (0 keeps the whole beam; 0.05 drops beam clusters more "
                        + "than 5% farther than the nearest), got 1.5",
                refused(MINIMAL + "beam: 3\nbeamSlack: 1.5\n"));
        assertEquals(
                "curate.yaml: checkpointing.intervalMs: must be >= 10, got 0",
                refused(MINIMAL + "checkpointing:\n  intervalMs: 0\n"));
        assertEquals(
                "curate.yaml: give quota.target with quota.expectedVolume, or quota.keepFraction",
                refused(MINIMAL.replace("  expectedVolume: 100\n", "")));
    }

    @Test
    void theRecordSizeLimitIsOneKeyWithTheProducersDefault() {
        assertEquals(
                dev.strata.records.RecordSize.DEFAULT_MAX_RECORD_BYTES,
                CurateSpec.parse(MINIMAL, "t", null).kafka().maxRecordBytes());
        String raised = MINIMAL.replace("  outputTopic: out\n", "  outputTopic: out\n  maxRecordBytes: 4194304\n");
        assertEquals(4_194_304, CurateSpec.parse(raised, "t", null).kafka().maxRecordBytes());
        assertEquals(
                "curate.yaml: kafka.maxRecordBytes: must be >= 4096, got 100",
                refused(MINIMAL.replace("  outputTopic: out\n", "  outputTopic: out\n  maxRecordBytes: 100\n")));
    }

    @Test
    void codeBuildsSpecsThroughTheSameRules() {
        CurateSpec s = CurateSpec.of(
                Map.of("kafka.inputTopic", "in", "kafka.outputTopic", "out", "model", "m", "quota.keepFraction", 0.5));
        assertEquals(0.5, s.quota().keepFraction());
        assertEquals(3, s.with(Map.of("parallelism", 3)).parallelism());
        ConfigProblem p = assertThrows(ConfigProblem.class, () -> s.with(Map.of("parallelism", -1)));
        assertEquals("--parallelism: must be between 1 and 32768, got -1", p.render(k -> "--" + k));
    }

    /** The local defaults keep a checkpoint well inside the sinks' transactions; a job's own timeout is checked. */
    @Test
    void transactionTimeoutRuleHoldsForTheLocalDefaultsAndRefusesTheRest() {
        CurateSpec s = CurateSpec.parse(MINIMAL, "t", null);
        JobRuntime.checkLocal(s);
        CurateSpec tooLong = CurateSpec.parse(MINIMAL + "checkpointing:\n  timeoutMs: 600000\n", "t", null);
        String m = assertThrows(ConfigProblem.class, () -> JobRuntime.checkLocal(tooLong))
                .from("curate.yaml")
                .getMessage();
        assertTrue(
                m.startsWith(
                        "curate.yaml: the checkpoint interval 5000 ms (execution.checkpointing.interval, the local "
                                + "default), timeout 600000 ms (checkpointing.timeoutMs)"),
                m);
        assertTrue(
                m.contains("up to 1201000 ms") && m.contains("must stay below kafka.transactionTimeoutMs (600000)"), m);
        String raised = MINIMAL.replace("  outputTopic: out\n", "  outputTopic: out\n  transactionTimeoutMs: 1300000\n")
                + "checkpointing:\n  timeoutMs: 600000\n";
        JobRuntime.checkLocal(CurateSpec.parse(raised, "t", null));
    }

    /** Client properties pass through; a secret written out in a job file is refused with the way to reference it. */
    @Test
    void kafkaPropertiesKeepSecretsAsReferences() {
        String withRefs = MINIMAL.replace(
                "  outputTopic: out\n",
                "  outputTopic: out\n  properties:\n"
                        + "    security.protocol: SASL_SSL\n    sasl.mechanism: SCRAM-SHA-512\n"
                        + "    sasl.jaas.config: ${file:/etc/strata/kafka.properties:sasl.jaas.config}\n"
                        + "    request.timeout.ms: 30000\n");
        CurateSpec s = CurateSpec.parse(withRefs, "t", null);
        assertEquals("SASL_SSL", s.kafka().properties().get("security.protocol"));
        assertEquals("30000", s.kafka().properties().get("request.timeout.ms"));
        assertEquals(s, CurateSpec.parse(s.toYaml(), "again", null));
        String secret = refused(withRefs.replace(
                "${file:/etc/strata/kafka.properties:sasl.jaas.config}",
                "\"org.apache.kafka.common.security.scram.ScramLoginModule required username=u password=hunter2;\""));
        assertTrue(
                secret.startsWith("curate.yaml: kafka.properties: sasl.jaas.config is a secret written out"), secret);
        assertTrue(
                !secret.contains("hunter2") && secret.contains("${file:/path/to/client.properties:sasl.jaas.config}"),
                secret);
        assertEquals(
                "curate.yaml: kafka.properties: bootstrap.servers is set by kafka.bootstrapServers; remove it from "
                        + "kafka.properties",
                refused(withRefs.replace(
                        "    request.timeout.ms", "    bootstrap.servers: x:1\n" + "    request.timeout.ms")));
    }

    /** The shipped job file names the two timeouts and they keep the rule. */
    @Test
    void theShippedJobFileBinds() {
        Path home = dev.strata.local.ProjectHome.find();
        CurateSpec s = CurateSpec.read(home.resolve("flink-jobs/curate.yaml"), home);
        assertEquals(600_000, s.kafka().transactionTimeoutMs());
        assertEquals(null, s.parallelism(), "the shipped job leaves parallelism to Flink (-p, parallelism.default)");
        assertEquals(home.resolve(".strata/demo/model.strata").toString(), s.model());
    }

    private static final String WINDOWED =
            "kafka:\n  inputTopic: in\n  outputTopic: out\nmodel: m.strata\nquota:\n  target: 10\n  window: 6h\n";

    @Test
    void aWindowTakesTPerWindowAndLeavesVToTheRateUnlessGiven() {
        CurateSpec s = CurateSpec.parse(WINDOWED, "t", null);
        CurateConfig c = CurateConfig.of(s);
        assertEquals(new QuotaWindows(6 * 3_600_000L, WindowTime.EVENT, 60_000), c.windows());
        assertEquals(0, c.expectedVolume(), "V from the arrival rate");
        assertEquals(s, CurateSpec.parse(s.toYaml(), "again", null));
        CurateConfig p = CurateConfig.of(
                CurateSpec.parse(WINDOWED + "  expectedVolume: 1000\n  windowTime: Processing\n", "t", null));
        assertEquals(new QuotaWindows(6 * 3_600_000L, WindowTime.PROCESSING, 0), p.windows());
        assertEquals(1000, p.expectedVolume());
        assertEquals(
                30_000,
                CurateConfig.of(CurateSpec.parse(WINDOWED + "  allowedLateness: 30s\n", "t", null))
                        .windows()
                        .latenessMillis());
        assertEquals(null, CurateConfig.of(CurateSpec.parse(MINIMAL, "t", null)).windows(), "one horizon");
    }

    @Test
    void badWindowSettingsAreRefusedWithOneLineThatSaysHowToFixThem() {
        assertEquals(
                "curate.yaml: quota.window: \"60\" is not a duration; write a number with a unit, like 30m, 6h or 1d",
                refused(WINDOWED.replace("6h", "\"60\"")));
        String bare = refused(WINDOWED.replace("6h", "60"));
        assertTrue(bare.startsWith("curate.yaml: quota.window: "), bare);
        assertEquals(
                "curate.yaml: quota.window: \"soon\" is not a duration; write a number with a unit, like 30m, 6h or 1d",
                refused(WINDOWED.replace("6h", "soon")));
        assertEquals(
                "curate.yaml: quota.window: must be at least 1s, got \"500ms\"",
                refused(WINDOWED.replace("6h", "500ms")));
        assertEquals(
                "curate.yaml: quota.window: give quota.target, the items to keep per window",
                refused(WINDOWED.replace("  target: 10\n", "")));
        assertEquals(
                "curate.yaml: quota.window: give quota.target, the items to keep per window, instead of "
                        + "quota.keepFraction",
                refused(WINDOWED.replace("  target: 10\n", "  keepFraction: 0.1\n")));
        assertTrue(refused(WINDOWED + "mode: exact\n")
                .startsWith("curate.yaml: quota.window: windows need mode admission"));
        assertTrue(refused(WINDOWED + "  plan: fixed\n")
                .startsWith("curate.yaml: quota.window: windows need mode admission"));
        assertEquals(
                "curate.yaml: quota.windowTime needs quota.window; set a window (like 1d) or remove quota.windowTime",
                refused(MINIMAL + "  windowTime: event\n"));
        assertEquals(
                "curate.yaml: quota.windowTime: \"wall\" is not one of event, processing",
                refused(WINDOWED + "  windowTime: wall\n"));
        assertEquals(
                "curate.yaml: quota.allowedLateness: must be shorter than quota.window (6h), got \"6h\"",
                refused(WINDOWED + "  allowedLateness: 6h\n"));
        assertTrue(refused(WINDOWED + "  windowTime: processing\n  allowedLateness: 1m\n")
                .contains("applies to quota.windowTime event only"));
    }
}
