package dev.strata.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.StrataException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BootstrapSpecTest {

    private static String refusal(String yaml) {
        return assertThrows(StrataException.class, () -> BootstrapSpec.parse(yaml, "job.yaml"))
                .getMessage();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "iters: fifteen|iters: 'fifteen' is not an integer",
                "seed: 4.5|seed: 4.5 is not an integer",
                "threads: '2'|threads: '2' is not an integer",
                "tolerance: small|tolerance: 'small' is not a number",
                "levels: [1000, many]|levels: the list [1000,\"many\"] is not a list of integers like [1000, 300], or auto",
                "levels: automatic|levels: 'automatic' is not a list of integers like [1000, 300], or auto",
                "sampleSizes: [15, 2.5]|sampleSizes: the list [15,2.5] is not an integer or a list of integers",
                "iters:|iters needs a value",
                "iterations: 15|unknown key 'iterations'",
            })
    void refusesWhatItCannotReadWithTheKeysName(String yaml, String expected) {
        String message = refusal(yaml);
        assertTrue(message.startsWith("job.yaml: "), message);
        assertTrue(message.contains(expected), message);
    }

    @Test
    void refusesARepeatedKey() {
        String message = refusal("iters: 5\niters: 6\n");
        assertTrue(message.contains("Duplicate field") && message.contains("iters"), message);
    }

    @Test
    void readsTheShippedJobFile() throws Exception {
        Path file = Path.of("flink-jobs/bootstrap.yaml");
        BootstrapCommand cmd = new BootstrapCommand();
        BootstrapSpec.read(file).applyTo(cmd);
        assertEquals("500,50", cmd.levels);
        assertEquals("50,5", cmd.sampleSizes);
        assertEquals(15, cmd.iters);
        assertEquals(1L, cmd.seed);
        assertTrue(Files.readString(file).contains("threads: 2"));
        assertEquals(2, cmd.threads);
    }

    @Test
    void takesOneNumberForEveryLevelAndAutoLevels() {
        BootstrapCommand cmd = new BootstrapCommand();
        BootstrapSpec.parse("levels: auto\nresampleSteps: 3\nseed: 0x2A\n", "job.yaml")
                .applyTo(cmd);
        assertEquals("auto", cmd.levels);
        assertEquals("3", cmd.resampleSteps);
        assertEquals(42L, cmd.seed);
    }
}
