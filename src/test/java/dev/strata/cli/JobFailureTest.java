package dev.strata.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.job.NonRecoverable;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class JobFailureTest {
    @Test
    void aNonRecoverableCauseIsTheLineTheUserSees() {
        ExecutionException failed = new ExecutionException(new RuntimeException(
                "Job execution failed.",
                new RuntimeException(
                        "The failure is not recoverable", new NonRecoverable("input topic 'x' does not exist"))));
        assertEquals(
                "the job failed: input topic 'x' does not exist",
                JobFailure.of(failed).getMessage());
    }

    @Test
    void otherwiseTheRootCauseInOneLine() {
        ExecutionException failed = new ExecutionException(
                new RuntimeException("Job execution failed.", new IllegalStateException("broker gone\nstack")));
        String line = JobFailure.of(failed).getMessage();
        assertTrue(line.startsWith("the job failed: IllegalStateException: broker gone;"), line);
    }
}
