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
    /**
     * The water level of the budgets ({@link Long#MAX_VALUE}: T covers every estimate): a top
     * cluster below it is planned to keep every item it receives, including those that arrive
     * before the next plan.
     */
    public long level;
    /**
     * The budgets if the stream ended now (T water-filled over the arrivals alone) and their level:
     * they bound what the top-up at the end of the input can give a leaf, hence its reserve.
     * Null in a plan restored from before they existed: the budgets stand in.
     */
    public long[] endBudgets;

    public long endLevel;
    /** Processing time the plan was made at, for the admission's plan-lag metric. */
    public long madeAtMillis;
    /** Budgets per window: the start of the window this plan is for (0 without windows). */
    public long window;
    /** V the plan was made with: the one given, or the window's estimate from the arrival rate. */
    public long volume;

    public TopPlan() {}

    public TopPlan(
            long seen,
            long[] budgets,
            long[] remaining,
            long level,
            long[] endBudgets,
            long endLevel,
            long madeAtMillis) {
        this.endBudgets = endBudgets;
        this.endLevel = endLevel;
        this.seen = seen;
        this.budgets = budgets;
        this.remaining = remaining;
        this.level = level;
        this.madeAtMillis = madeAtMillis;
    }
}
