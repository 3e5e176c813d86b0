package dev.strata.flink.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.StrataException;
import dev.strata.local.SharedKafka;
import org.junit.jupiter.api.Test;

/** The one-line answers of the job operations that go through Flink's RestClusterClient. */
class FlinkRestTest {
    private static final String JOB = "0123456789abcdef0123456789abcdef";

    @Test
    void aJobManagerThatDoesNotAnswerIsNamedInsteadOfRetried() {
        String url = "http://127.0.0.1:" + SharedKafka.freePort();
        FlinkRest rest = new FlinkRest(url);
        for (Runnable op : new Runnable[] {
            () -> rest.cancel(JOB), () -> rest.jobState(JOB), () -> rest.stopWithSavepoint(JOB, null)
        }) {
            StrataException e = assertThrows(StrataException.class, op::run);
            assertEquals(
                    "no Flink JobManager answers at " + url + "; start one with `strata cluster start` or fix "
                            + "--jobmanager",
                    e.getMessage());
        }
    }

    @Test
    void aJobIdThatIsNotOneSaysSo() {
        StrataException e =
                assertThrows(StrataException.class, () -> new FlinkRest("http://127.0.0.1:1").cancel("job-1"));
        assertTrue(e.getMessage().startsWith("job id job-1 is not a Flink job id (32 hex digits)"), e.getMessage());
    }

    @Test
    void flinksErrorBodyBecomesItsMostSpecificCause() {
        String body = "{\"errors\":[\"org.apache.flink.runtime.rest.handler.RestHandlerException: Could not run\\n"
                + "\\tat x.y(Z.java:1)\\nCaused by: java.lang.IllegalStateException: no savepoint dir\\n\\tat a.b(C.java:2)\"]}";
        assertEquals("java.lang.IllegalStateException: no savepoint dir", FlinkRest.errorText(body));
        assertEquals("not json", FlinkRest.errorText("not json"));
    }
}
