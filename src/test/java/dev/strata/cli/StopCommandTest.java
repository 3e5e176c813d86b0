package dev.strata.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** `strata stop` flags (the stop itself runs against real clusters in SessionClusterRecoveryIT). */
class StopCommandTest {
    @Test
    void drainWithoutASavepointIsRefusedInOneLine() {
        CliRun r =
                CliRun.of("stop", "0123456789abcdef0123456789abcdef", "--drain", "--jobmanager", "http://127.0.0.1:1");
        assertTrue(r.exit() != 0 && r.oneLineError(), r.err());
        assertTrue(r.err().contains("--drain goes with --savepoint"), r.err());
    }
}
