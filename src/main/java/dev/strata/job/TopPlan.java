package dev.strata.job;

/**
 * The top-level plan the {@link QuotaPlanner} broadcasts to adaptive admission (Flink POJO): a
 * budget and the items still expected per top cluster, as of {@code seen} items.
 */
public class TopPlan {
    /** Items the planner had counted when it made this plan (all top clusters). */
    public long seen;
    public long[] budgets;
    public long[] remaining;
    /** Processing time the plan was made at, for the admission's plan-lag metric. */
    public long madeAtMillis;

    public TopPlan() {
    }

    public TopPlan(long seen, long[] budgets, long[] remaining, long madeAtMillis) {
        this.seen = seen;
        this.budgets = budgets;
        this.remaining = remaining;
        this.madeAtMillis = madeAtMillis;
    }
}
