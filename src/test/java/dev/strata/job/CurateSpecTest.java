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
        return assertThrows(StrataException.class, () -> CurateSpec.parse(yaml, "curate.yaml", null)).getMessage();
    }

    @Test
    void defaultsAndRelativePaths() {
        CurateSpec s = CurateSpec.parse(MINIMAL, "t", Path.of("/project"));
        assertEquals("in.dlq", s.kafka().deadLetterTopic());
        assertEquals("strata-out", s.kafka().groupId());
        assertEquals("strata-strata-out-out", s.kafka().transactionalIdPrefix());
        assertEquals("/project/m.strata", s.model());
        assertEquals("/project/.strata/checkpoints", s.checkpointing().dir());
        assertEquals(EmitMode.ADMISSION, s.mode());
        assertEquals(2, s.parallelism());
        assertEquals(5000, s.checkpointing().intervalMs());
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
    }

    @Test
    void typosAndMissingKeysAreRefusedWithTheirName() {
        assertTrue(refused(MINIMAL + "paralelism: 3\n").contains("paralelism"));
        String nested = refused(MINIMAL.replace("  outputTopic: out\n", "  outputTopic: out\n  groupID: g\n"));
        assertTrue(nested.contains("kafka.groupID") && nested.contains("groupId"), nested);
        assertTrue(refused(MINIMAL.replace("quota:\n", "quota:\n  keepFraction: 0.1\n")).contains("not both"));
        assertEquals("curate.yaml: missing model", refused(MINIMAL.replace("model: m.strata\n", "")));
        assertEquals("curate.yaml: missing kafka.inputTopic", refused(MINIMAL.replace("  inputTopic: in\n", "")));
        String closest = refused(MINIMAL + "strategy: closest\n");
        assertTrue(closest.startsWith("curate.yaml: strategy: closest needs mode exact"), closest);
    }

    /** Each of these ran with a silent default before: target 0, parallelism 2, seed 0, interval 5000. */
    @Test
    void mistypedValuesAreRefusedWithTheKeyAndWhatWasWritten() {
        assertEquals("curate.yaml: quota.target: \"5k\" is not an integer",
                refused(MINIMAL.replace("target: 10", "target: 5k")));
        assertEquals("curate.yaml: parallelism: \"four\" is not an integer", refused(MINIMAL + "parallelism: four\n"));
        assertEquals("curate.yaml: seed: \"0x2A\" is not an integer", refused(MINIMAL + "seed: \"0x2A\"\n"));
        assertEquals("curate.yaml: checkpointing.intervalMs: \"soon\" is not an integer",
                refused(MINIMAL + "checkpointing:\n  intervalMs: soon\n"));
        assertEquals("curate.yaml: bounded: \"maybe\" is not true or false", refused(MINIMAL + "bounded: maybe\n"));
        assertEquals("curate.yaml: quota.target: 10.5 is not an integer",
                refused(MINIMAL.replace("target: 10", "target: 10.5")));
        assertEquals("curate.yaml: mode: \"fast\" is not one of admission, exact", refused(MINIMAL + "mode: fast\n"));
        assertEquals("curate.yaml: mode: 1 is not one of admission, exact", refused(MINIMAL + "mode: 1\n"));
        assertEquals("curate.yaml: quota.keepFraction: \"10%\" is not a number",
                refused(MINIMAL.replace("  target: 10\n  expectedVolume: 100\n", "  keepFraction: 10%\n")));
        assertEquals("curate.yaml: kafka: \"in\" is not a mapping", refused(MINIMAL.replaceFirst("kafka:\n", "kafka: in\nx:\n")
                .replace("x:\n  inputTopic: in\n  outputTopic: out\n", "")));
        assertEquals("curate.yaml: seed: needs a value", refused(MINIMAL + "seed:\n"));
        assertTrue(refused(MINIMAL + "parallelism: 99999999999\n").startsWith("curate.yaml: parallelism: 99999999999 is out"));
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
        assertEquals("curate.yaml: parallelism: must be between 1 and 32768, got 0", refused(MINIMAL + "parallelism: 0\n"));
        assertEquals("curate.yaml: quota.target: must be >= 1, got 0", refused(MINIMAL.replace("target: 10", "target: 0")));
        assertEquals("curate.yaml: quota.expectedVolume: must be >= 1, got -5",
                refused(MINIMAL.replace("expectedVolume: 100", "expectedVolume: -5")));
        assertEquals("curate.yaml: quota.keepFraction: must be in (0, 1], got 1.5",
                refused(MINIMAL.replace("  target: 10\n  expectedVolume: 100\n", "  keepFraction: 1.5\n")));
        assertEquals("curate.yaml: beam: must be >= 0, got -1", refused(MINIMAL + "beam: -1\n"));
        assertEquals("curate.yaml: checkpointing.intervalMs: must be >= 10, got 0",
                refused(MINIMAL + "checkpointing:\n  intervalMs: 0\n"));
        assertEquals("curate.yaml: give quota.target with quota.expectedVolume, or quota.keepFraction",
                refused(MINIMAL.replace("  expectedVolume: 100\n", "")));
    }

    @Test
    void theRecordSizeLimitIsOneKeyWithTheProducersDefault() {
        assertEquals(dev.strata.records.RecordSize.DEFAULT_MAX_RECORD_BYTES,
                CurateSpec.parse(MINIMAL, "t", null).kafka().maxRecordBytes());
        String raised = MINIMAL.replace("  outputTopic: out\n", "  outputTopic: out\n  maxRecordBytes: 4194304\n");
        assertEquals(4_194_304, CurateSpec.parse(raised, "t", null).kafka().maxRecordBytes());
        assertEquals("curate.yaml: kafka.maxRecordBytes: must be >= 4096, got 100",
                refused(MINIMAL.replace("  outputTopic: out\n", "  outputTopic: out\n  maxRecordBytes: 100\n")));
    }

    @Test
    void codeBuildsSpecsThroughTheSameRules() {
        CurateSpec s = CurateSpec.of(Map.of("kafka.inputTopic", "in", "kafka.outputTopic", "out", "model", "m",
                "quota.keepFraction", 0.5));
        assertEquals(0.5, s.quota().keepFraction());
        assertEquals(3, s.with(Map.of("parallelism", 3)).parallelism());
        ConfigProblem p = assertThrows(ConfigProblem.class, () -> s.with(Map.of("parallelism", -1)));
        assertEquals("--parallelism: must be between 1 and 32768, got -1", p.render(k -> "--" + k));
    }

    /** The shipped defaults keep a checkpoint well inside the sinks' transactions. */
    @Test
    void transactionTimeoutRuleHoldsForTheDefaultsAndRefusesTheRest() {
        CurateSpec s = CurateSpec.parse(MINIMAL, "t", null);
        assertTrue(TransactionTimeouts.longestTransactionMs(s.checkpointing().intervalMs(), s.checkpointing().timeoutMs())
                < s.kafka().transactionTimeoutMs());
        String tooLong = refused(MINIMAL + "checkpointing:\n  timeoutMs: 600000\n");
        assertTrue(tooLong.startsWith("curate.yaml: checkpointing.intervalMs (5000) and checkpointing.timeoutMs (600000) "
                + "let a sink transaction stay open up to 1201000 ms"), tooLong);
        assertTrue(tooLong.contains("must stay below kafka.transactionTimeoutMs (600000)"), tooLong);
        String raised = MINIMAL + "checkpointing:\n  timeoutMs: 600000\n";
        String fixed = raised.replace("  outputTopic: out\n", "  outputTopic: out\n  transactionTimeoutMs: 1300000\n");
        assertEquals(1_300_000, CurateSpec.parse(fixed, "t", null).kafka().transactionTimeoutMs());
    }

    /** The shipped job file names the two timeouts and they keep the rule. */
    @Test
    void theShippedJobFileBinds() {
        Path home = dev.strata.local.ProjectHome.find();
        CurateSpec s = CurateSpec.read(home.resolve("flink-jobs/curate.yaml"), home);
        assertEquals(600_000, s.kafka().transactionTimeoutMs());
        assertEquals(240_000, s.checkpointing().timeoutMs());
        assertEquals(home.resolve(".strata/demo/model.strata").toString(), s.model());
    }
}
