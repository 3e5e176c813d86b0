package dev.strata.progress;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A progress line on stderr with a rate and an ETA, redrawn in place at most a few times a
 * second. Long steps (seeding, Lloyd iterations, resampling, assignment, produce) report here
 * so a person at a terminal sees the work moving. {@link #silent()} is for tests and library use.
 */
public class Progress {
    private static final long TERMINAL_INTERVAL_NANOS = 250_000_000L;
    /** Into a log file or CI output a redrawn line would pile up: print a full line now and then. */
    private static final long LOG_INTERVAL_NANOS = 5_000_000_000L;

    private final PrintStream out;
    private final boolean terminal;
    private final long interval;
    private String label = "";
    private String unit = "";
    private long total;
    private long done;
    private long startNanos;
    private long lastDrawNanos;
    private String context = "";

    protected Progress(PrintStream out) {
        this.out = out;
        this.terminal = System.console() != null;
        this.interval = terminal ? TERMINAL_INTERVAL_NANOS : LOG_INTERVAL_NANOS;
    }

    public static Progress stderr() {
        return new Progress(System.err);
    }

    public static Progress silent() {
        return new Progress(null);
    }

    /** Starts a new step of {@code total} units (total <= 0 means unknown). */
    public synchronized void start(String label, long total, String unit) {
        this.label = label;
        this.total = total;
        this.unit = unit;
        this.done = 0;
        this.startNanos = System.nanoTime();
        this.lastDrawNanos = startNanos;
    }

    public synchronized void advance(long units) {
        update(done + units);
    }

    /** Sets the absolute amount done (for work measured from outside, e.g. committed offsets). */
    public synchronized void update(long units) {
        done = units;
        long now = System.nanoTime();
        if (now - lastDrawNanos >= interval) {
            lastDrawNanos = now;
            draw(now, false);
        }
    }

    /** Ends the step, leaving its final line on screen. */
    public synchronized void finish() {
        draw(System.nanoTime(), true);
    }

    /**
     * Text appended to every progress line until changed, e.g. the whole bootstrap's ETA next to
     * that of the k-means running now; empty for none.
     */
    public synchronized void context(String text) {
        this.context = text == null ? "" : text;
    }

    /** A one-off message on its own line (e.g. a warning), not overwritten by the progress line. */
    public synchronized void message(String text) {
        if (out != null) {
            out.print(terminal ? "\r\033[K" : "");
            out.println(text);
            out.flush();
        }
    }

    private void draw(long now, boolean last) {
        if (out == null) {
            return;
        }
        double secs = Math.max(1e-9, (now - startNanos) / 1e9);
        double rate = done / secs;
        StringBuilder sb = new StringBuilder();
        sb.append(terminal ? "\r\033[K" : "").append(label).append(": ");
        if (total > 0) {
            sb.append(String.format(Locale.ROOT, "%d/%d %s (%.0f%%)", done, total, unit, 100.0 * done / total));
        } else {
            sb.append(done).append(' ').append(unit);
        }
        sb.append(String.format(Locale.ROOT, ", %s %s/s", human(rate), unit));
        if (last) {
            sb.append(String.format(Locale.ROOT, ", %.1f s", secs));
        } else if (total > 0 && rate > 0) {
            sb.append(String.format(Locale.ROOT, ", ETA %.0f s", (total - done) / rate));
        }
        if (!context.isEmpty()) {
            sb.append(" [").append(context).append(']');
        }
        out.print(sb);
        if (last || !terminal) {
            out.println();
        }
        out.flush();
    }

    private static String human(double v) {
        if (v >= 1e6) {
            return String.format(Locale.ROOT, "%.2fM", v / 1e6);
        }
        if (v >= 1e3) {
            return String.format(Locale.ROOT, "%.1fk", v / 1e3);
        }
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
