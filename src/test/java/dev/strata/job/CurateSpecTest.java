package dev.strata.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.StrataException;
import dev.strata.sampling.LeafStrategy;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CurateSpecTest {
    private static final String MINIMAL = "kafka:\n  inputTopic: in\n  outputTopic: out\nmodel: m.strata\n"
            + "quota:\n  target: 10\n  expectedVolume: 100\n";

    @Test
    void defaultsAndRelativePaths() {
        CurateSpec s = CurateSpec.parse(MINIMAL, "t", Path.of("/project"));
        assertEquals("in.dlq", s.config().deadLetterTopic());
        assertEquals("strata-out", s.config().groupId());
        assertEquals("strata-strata-out-out", s.config().transactionalIdPrefix());
        assertEquals("/project/m.strata", s.config().modelPath());
        assertEquals("/project/.strata/checkpoints", s.checkpointDir());
        assertEquals(EmitMode.ADMISSION, s.config().mode());
        assertEquals(2, s.parallelism());
    }

    @Test
    void objectStoragePathsStayAsWritten() {
        CurateSpec s = CurateSpec.parse(MINIMAL.replace("m.strata", "s3://bucket/m.strata"), "t", Path.of("/p"));
        assertEquals("s3://bucket/m.strata", s.config().modelPath());
    }

    @Test
    void yamlRoundTripKeepsEverything() {
        String yaml = MINIMAL + "mode: exact\nstrategy: closest\nbeam: 4\nseed: 9\nparallelism: 3\n"
                + "checkpointing:\n  intervalMs: 700\n  dir: s3://b/cp\n";
        CurateSpec a = CurateSpec.parse(yaml, "t", Path.of("/p"));
        CurateSpec b = CurateSpec.parse(a.toYaml(), "again", null);
        assertEquals(a, b);
        assertEquals(LeafStrategy.CLOSEST, b.config().strategy());
        assertEquals(4, b.config().beam());
    }

    @Test
    void typosAndMissingKeysAreRefusedWithTheirName() {
        StrataException typo = assertThrows(StrataException.class,
                () -> CurateSpec.parse(MINIMAL + "paralelism: 3\n", "curate.yaml", null));
        assertTrue(typo.getMessage().contains("paralelism"), typo.getMessage());
        StrataException nested = assertThrows(StrataException.class,
                () -> CurateSpec.parse(MINIMAL.replace("  outputTopic: out\n", "  outputTopic: out\n  groupID: g\n"),
                        "curate.yaml", null));
        assertTrue(nested.getMessage().contains("kafka.groupID"), nested.getMessage());
        StrataException both = assertThrows(StrataException.class,
                () -> CurateSpec.parse(MINIMAL.replace("quota:\n", "quota:\n  keepFraction: 0.1\n"), "curate.yaml", null));
        assertTrue(both.getMessage().contains("not both"), both.getMessage());
        StrataException noModel = assertThrows(StrataException.class,
                () -> CurateSpec.parse(MINIMAL.replace("model: m.strata\n", ""), "curate.yaml", null));
        assertTrue(noModel.getMessage().contains("missing model"), noModel.getMessage());
        StrataException closest = assertThrows(StrataException.class,
                () -> CurateSpec.parse(MINIMAL + "strategy: closest\n", "curate.yaml", null));
        assertTrue(closest.getMessage().contains("--mode exact"), closest.getMessage());
    }
}
