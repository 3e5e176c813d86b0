package dev.strata.cli;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.StrataException;
import dev.strata.job.JobRuntime;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** A taken dashboard port is named with the CLI flag at the CLI, and by the setting inside the job runtime. */
class WebUiPortTest {
    @Test
    void aTakenPortIsOneLineNamingTheFlagOnlyAtTheCli() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            StrataException cli = assertThrows(StrataException.class, () -> WebUiPort.require(port));
            assertTrue(
                    cli.getMessage().contains("--web-ui-port")
                            && cli.getMessage().contains(Integer.toString(port)),
                    cli.getMessage());
            StrataException runtime = assertThrows(StrataException.class, () -> JobRuntime.requireFreePort(port));
            assertFalse(runtime.getMessage().contains("--"), runtime.getMessage());
            assertTrue(runtime.getMessage().contains("dashboard"), runtime.getMessage());
        }
    }

    @Test
    void noDashboardNeedsNoPort() {
        assertDoesNotThrow(() -> WebUiPort.require(0));
    }
}
