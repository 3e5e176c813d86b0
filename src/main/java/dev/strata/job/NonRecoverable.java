package dev.strata.job;

import dev.strata.StrataException;
import org.apache.flink.runtime.throwable.ThrowableAnnotation;
import org.apache.flink.runtime.throwable.ThrowableType;

/**
 * A failure that no restart can heal: the model file changed under a running job, an input topic
 * that does not exist. Flink's failover finds the annotation anywhere in a failure's cause chain
 * and fails the job at once instead of restarting it; the message is the one line a user sees.
 */
@ThrowableAnnotation(ThrowableType.NonRecoverableError)
public class NonRecoverable extends StrataException {
    public NonRecoverable(String message) {
        super(message);
    }

    public NonRecoverable(String message, Throwable cause) {
        super(message, cause);
    }

    /** The first non-recoverable failure in a cause chain (a failed job's exception), or null. */
    public static NonRecoverable in(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof NonRecoverable n) {
                return n;
            }
        }
        return null;
    }
}
