package dev.strata.cli;

import dev.strata.StrataException;
import dev.strata.job.NonRecoverable;
import org.apache.flink.util.ExceptionUtils;

/** A failed job as one line: its non-recoverable cause when it has one, else its root cause. */
final class JobFailure {
    private JobFailure() {}

    static StrataException of(Throwable failure) {
        NonRecoverable n = NonRecoverable.in(failure);
        if (n != null) {
            return new StrataException("the job failed: " + n.getMessage());
        }
        Throwable root = ExceptionUtils.stripExecutionException(failure);
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String what = root.getMessage() == null
                ? root.getClass().getSimpleName()
                : root.getClass().getSimpleName() + ": "
                        + root.getMessage().lines().findFirst().orElse("");
        return new StrataException(
                "the job failed: " + what + "; see the log, and docs/operations.md (runbook)", failure);
    }
}
