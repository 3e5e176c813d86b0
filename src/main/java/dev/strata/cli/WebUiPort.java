package dev.strata.cli;

import dev.strata.job.JobRuntime;

/** The --web-ui-port check of the commands that run an embedded Flink, worded with the flag. */
final class WebUiPort {
    private WebUiPort() {}

    /** Fails with one line naming the flag when the dashboard's port is taken (0 = no dashboard). */
    static void require(int port) {
        if (port > 0) {
            JobRuntime.requireFreePort(port, "pass --web-ui-port with a free port");
        }
    }
}
