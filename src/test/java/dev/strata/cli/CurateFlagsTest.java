package dev.strata.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.StrataException;
import dev.strata.job.CurateSpec;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** Every flag of `curate` sets a key of the job file, and a problem with a key is said with its flag. */
class CurateFlagsTest {
    /** How to run and connect: --kafka-config adds a file's client properties to kafka.properties (KafkaConfigOption). */
    private static final Set<String> HOW_TO_RUN = Set.of(
            "--config",
            "--from-savepoint",
            "--web-ui-port",
            "--help",
            "--version",
            "--kafka-config",
            "--create-topics");

    @Test
    void everyJobFlagNamesAKeyTheJobFileKnows() {
        CommandLine curate = Strata.commandLine().getSubcommands().get("curate");
        for (OptionSpec o : curate.getCommandSpec().options()) {
            if (!HOW_TO_RUN.contains(o.longestName())) {
                assertTrue(CurateFlags.KEYS.containsKey(o.longestName()), o.longestName() + " sets no job-file key");
            }
        }
        for (String key : CurateFlags.KEYS.values()) {
            Map<String, Object> settings = new HashMap<>(Map.of(
                    "kafka.inputTopic", "in", "kafka.outputTopic", "out", "model", "m", "quota.keepFraction", 0.1));
            settings.put(key, Map.of("x", 1));
            String message = assertThrows(StrataException.class, () -> CurateSpec.of(settings))
                    .getMessage();
            assertTrue(message.startsWith(key + ": a mapping is not"), key + " -> " + message);
        }
    }

    @Test
    void aProblemWithAKeyIsSaidWithItsFlag() {
        CommandLine cl = Strata.commandLine();
        CommandLine.ParseResult parsed = cl.parseArgs(
                "curate",
                "--input-topic",
                "in",
                "--output-topic",
                "out",
                "--model",
                "m",
                "--target",
                "10",
                "--expected-volume",
                "100",
                "--checkpoint-interval-ms",
                "5");
        StrataException e = assertThrows(StrataException.class, () -> CurateFlags.spec(parsed.subcommand()));
        assertEquals("--checkpoint-interval-ms: must be >= 10, got 5", e.getMessage());
        assertEquals("--group-id", CurateFlags.flag("kafka.groupId"));
        assertEquals("assignBatch", CurateFlags.flag("assignBatch"));
    }

    @Test
    void unsetFlagsTakeTheJobFilesDefaults() {
        CommandLine cl = Strata.commandLine();
        CommandLine.ParseResult parsed = cl.parseArgs(
                "curate", "--input-topic", "in", "--output-topic", "out", "--model", "m", "--keep-fraction", "0.5");
        CurateSpec fromFlags = CurateFlags.spec(parsed.subcommand());
        assertEquals(
                CurateSpec.parse(
                        "kafka:\n  inputTopic: in\n  outputTopic: out\nmodel: m\nquota:\n  keepFraction: 0.5\n",
                        "f",
                        null),
                fromFlags);
    }

    @Test
    void windowFlagsSetTheWindowKeysAndTheirProblemsNameTheFlags() {
        CommandLine.ParseResult ok = Strata.commandLine()
                .parseArgs(
                        "curate",
                        "--input-topic",
                        "in",
                        "--output-topic",
                        "out",
                        "--model",
                        "m",
                        "--target",
                        "10",
                        "--window",
                        "1d",
                        "--window-time",
                        "processing");
        CurateSpec s = CurateFlags.spec(ok.subcommand());
        assertEquals("1d", s.quota().window());
        assertEquals(null, s.quota().expectedVolume(), "V is left to the arrival rate");
        CommandLine.ParseResult bad = Strata.commandLine()
                .parseArgs(
                        "curate",
                        "--input-topic",
                        "in",
                        "--output-topic",
                        "out",
                        "--model",
                        "m",
                        "--target",
                        "10",
                        "--window",
                        "60");
        StrataException e = assertThrows(StrataException.class, () -> CurateFlags.spec(bad.subcommand()));
        assertEquals(
                "--window: \"60\" is not a duration; write a number with a unit, like 30m, 6h or 1d", e.getMessage());
    }
}
