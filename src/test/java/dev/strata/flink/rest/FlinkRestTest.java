package dev.strata.flink.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.StrataException;
import dev.strata.local.SharedKafka;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.SecurityOptions;
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

    @Test
    void flinksClientGetsTheSchemePortAndPathOfTheUrlAsFlinksCliPassesThem() {
        Configuration https = new FlinkRest("https://flink.example.com/my-cluster/").clientConfiguration();
        assertEquals("flink.example.com", https.get(RestOptions.ADDRESS));
        assertEquals(443, https.get(RestOptions.PORT));
        assertEquals("/my-cluster", https.get(RestOptions.PATH));
        assertTrue(https.get(SecurityOptions.SSL_REST_ENABLED));
        Configuration plain = new FlinkRest("http://127.0.0.1:8081").clientConfiguration();
        assertEquals(8081, plain.get(RestOptions.PORT));
        assertEquals("", plain.get(RestOptions.PATH));
        assertEquals(false, plain.get(SecurityOptions.SSL_REST_ENABLED));
        assertEquals(
                "https://flink.example.com/my-cluster", new FlinkRest("https://flink.example.com/my-cluster/").url());
    }
}
