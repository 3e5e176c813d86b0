package dev.strata.job;

import java.util.Locale;

/** How admission mode sets its quotas ({@code quota.plan}). */
public enum QuotaPlanMode {
    /** Once, from the model's pool sizes scaled to V: today's plan, kept for parity and old savepoints. */
    FIXED,
    /** Re-planned from the arrivals observed so far plus the remaining horizon (docs/architecture.md). */
    ADAPTIVE;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
