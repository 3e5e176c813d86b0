package dev.strata.job;

import dev.strata.Labelled;

/** How admission mode sets its quotas ({@code quota.plan}). */
public enum QuotaPlanMode implements Labelled {
    /** Once, from the model's pool sizes scaled to V: today's plan, kept for parity and old savepoints. */
    FIXED,
    /** Re-planned from the arrivals observed so far plus the remaining horizon (docs/architecture.md). */
    ADAPTIVE;

    public static QuotaPlanMode parse(String s) {
        return Labelled.parse(QuotaPlanMode.class, "quota plan", s);
    }
}
