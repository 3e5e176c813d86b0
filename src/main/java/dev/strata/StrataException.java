package dev.strata;

/**
 * A problem the user can fix: a bad flag, a bad file, a model that does not fit the data.
 * Its message is one line that says what is wrong and how to fix it; the command line prints
 * exactly that line and exits non-zero, without a stack trace.
 */
public class StrataException extends RuntimeException {
    public StrataException(String message) {
        super(message);
    }

    public StrataException(String message, Throwable cause) {
        super(message, cause);
    }
}
