package dev.strata.bench;

import dev.strata.job.ArrivalCounter;
import dev.strata.job.FixedAdmission;
import dev.strata.job.LeafCounter;
import dev.strata.job.LeafReserve;
import dev.strata.job.TopAdmission;
import dev.strata.job.TopCounters;
import dev.strata.job.TopPlan;
import dev.strata.job.TopPlanner;
import dev.strata.model.ClusterTree;
import dev.strata.sampling.StreamQuotas;
import dev.strata.sampling.Uniform;
import java.util.ArrayList;
import java.util.List;

/**
 * Replays an assigned stream through the admission decisions the job's operators make
 * ({@link FixedAdmission}, {@link TopAdmission} with {@link TopPlanner}), without Flink: the
 * classes are the ones the operators call, and the adaptive replay delivers the planner's plans
 * as the job does, after {@link ArrivalCounter#flushEvery} items of one of {@code parallelism}
 * counters, so the plan lags the stream as in the job (the network hop aside). The cap at T is
 * the one {@code TargetCap} applies.
 */
final class AdmissionReplay {
    private final ClusterTree tree;
    private final long seed;
    private final int parallelism;
    private final int replanDivisor;

    AdmissionReplay(ClusterTree tree, long seed, int parallelism, int replanDivisor) {
        this.tree = tree;
        this.seed = seed;
        this.parallelism = parallelism;
        this.replanDivisor = replanDivisor;
    }

    /** Rows accepted under the fixed plan; {@code rows[k]} is the k-th item of the stream. */
    Result fixed(int[] rows, int[] leafOf, long target, long volume) {
        long start = System.nanoTime();
        FixedAdmission admission = new FixedAdmission(StreamQuotas.of(tree, target, volume, seed));
        int[] topOf = tree.topOfLeaves();
        LeafCounter[] leaves = new LeafCounter[tree.leaves().clusters()];
        long[] topAccepted = new long[tree.top().clusters()];
        List<Integer> out = new ArrayList<>();
        for (int row : rows) {
            int leaf = leafOf[row];
            int top = topOf[leaf];
            if (leaves[leaf] == null) {
                leaves[leaf] = new LeafCounter();
            }
            if (admission.decide(leaves[leaf], topAccepted[top], leaf, top, Uniform.of(seed, Integer.toString(row)))
                    == TopAdmission.Decision.ACCEPTED) {
                topAccepted[top]++;
                out.add(row);
            }
        }
        return new Result(out, 0, 0, 0, (System.nanoTime() - start) / 1000.0 / rows.length);
    }

    /** Rows accepted under the adaptive plan, and how many plans it made. */
    Result adaptive(int[] rows, int[] leafOf, long target, long volume) {
        StreamQuotas quotas = StreamQuotas.of(tree, target, volume, seed);
        TopPlanner planner = new TopPlanner(tree, quotas, seed);
        TopAdmission admission = new TopAdmission(tree, seed, replanDivisor);
        int[] topOf = tree.topOfLeaves();
        int tops = tree.top().clusters();
        TopCounters[] counters = new TopCounters[tops];
        long[] planned = new long[tops];
        long[][] pending = new long[parallelism][tops];
        int[] pendingItems = new int[parallelism];
        int flushEvery = ArrivalCounter.flushEvery(volume);
        TopPlan plan = planner.initial();
        List<Integer> out = new ArrayList<>();
        LeafReserve[] reserves = new LeafReserve[tree.leaves().clusters()];
        int plans = 0;
        long planNanos = 0;
        long start = System.nanoTime();
        for (int k = 0; k < rows.length; k++) {
            int row = rows[k];
            int leaf = leafOf[row];
            int top = topOf[leaf];
            if (counters[top] == null) {
                counters[top] = admission.counters(top);
            }
            TopAdmission.Decision d =
                    admission.decide(counters[top], leaf, top, plan, Uniform.of(seed, Integer.toString(row)));
            if (d == TopAdmission.Decision.ACCEPTED && out.size() < planner.target()) {
                out.add(row);
            } else if (d != TopAdmission.Decision.ACCEPTED) {
                // as AdaptiveAdmissionFunction.reserve, the row standing in for the curated record
                TopCounters c = counters[top];
                double priority = LeafReserve.priority(seed, Integer.toString(row));
                long room = admission.reserveRoomFor(c, leaf, top, plan, priority);
                if (room >= 0) {
                    reserves[leaf] = reserves[leaf] == null ? new LeafReserve() : reserves[leaf];
                    if (reserves[leaf].offer(priority, Integer.toString(row), null, room)) {
                        c.reserveChanged(admission.position(leaf), reserves[leaf]);
                    }
                }
            }
            // the item also reaches its source subtask's arrival counter; a full counter makes a new plan
            int p = k % parallelism;
            pending[p][top]++;
            if (++pendingItems[p] >= flushEvery) {
                for (int t = 0; t < tops; t++) {
                    planned[t] += pending[p][t];
                    pending[p][t] = 0;
                }
                pendingItems[p] = 0;
                long planStart = System.nanoTime();
                plan = planner.plan(planned, 0);
                planNanos += System.nanoTime() - planStart;
                plans++;
            }
        }
        // end of input: the counters flush, the last plan counts every item, each top cluster tops up
        for (int p = 0; p < parallelism; p++) {
            for (int t = 0; t < tops; t++) {
                planned[t] += pending[p][t];
            }
        }
        plan = planner.plan(planned, 0);
        int toppedUp = 0;
        for (int t = 0; t < tops; t++) {
            if (counters[t] == null) {
                continue;
            }
            long[] take = admission.topUp(counters[t], t, plan);
            for (int leaf = 0; leaf < topOf.length; leaf++) {
                if (topOf[leaf] != t || reserves[leaf] == null) {
                    continue;
                }
                for (var e : reserves[leaf].take((int) take[admission.position(leaf)])) {
                    if (out.size() < planner.target()) {
                        out.add(Integer.parseInt(e.id));
                        toppedUp++;
                    }
                }
            }
        }
        double micros = (System.nanoTime() - start - planNanos) / 1000.0 / rows.length;
        return new Result(out, toppedUp, plans, plans == 0 ? 0 : planNanos / 1000.0 / plans, micros);
    }

    /**
     * @param toppedUp       rows of {@code rows} that came from the reserves at the end of the input
     * @param microsPerPlan  time of one planner step
     * @param microsPerItem  decision time per item, plans left out (the Flink-free part of the operator's work)
     */
    record Result(List<Integer> rows, int toppedUp, int plans, double microsPerPlan, double microsPerItem) {}
}
