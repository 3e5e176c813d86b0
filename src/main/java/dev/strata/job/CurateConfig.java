package dev.strata.job;

import dev.strata.kafka.KafkaConnection;
import dev.strata.model.ClusterTree;
import dev.strata.sampling.LeafStrategy;
import dev.strata.sampling.StreamQuotas;
import java.io.Serializable;

/**
 * What the tasks of a curation job are shipped: the checked {@link CurateSpec} and the model as
 * the client read it at submission (tasks refuse a model file whose version changed since, the
 * source checks record dimensions against it). The accessors read the spec, so the operators do
 * not depend on the layout of the job file.
 *
 * @param modelVersion version the client read at submission ("" before the model is read)
 * @param modelDim     the model's dimension (0 before the model is read)
 */
public record CurateConfig(CurateSpec spec, String modelVersion, int modelDim) implements Serializable {

    /** A job not yet bound to its model file. */
    public static CurateConfig of(CurateSpec spec) {
        return new CurateConfig(spec, "", 0);
    }

    /**
     * The quotas the job enforces (docs/architecture.md, "Why keyed by top cluster"): T over V as
     * the job file gives them, or, with a keep fraction f, f of the model's pool over the pool.
     */
    public StreamQuotas quotas(ClusterTree tree) {
        long pool = tree.leaves().totalSize();
        long volume = keepFraction() > 0 ? pool : expectedVolume() > 0 ? expectedVolume() : assumedWindowVolume();
        long target = keepFraction() > 0 ? Math.round(keepFraction() * pool) : target();
        return StreamQuotas.of(tree, target, volume, seed());
    }

    /**
     * V of a window whose V is left to the observed rate, before its first plan has arrived: ten
     * times T. Too large only slows the window's first items' acceptance until the planner's
     * estimate replaces it (a few hundred items at most); what that leaves short, the top-up at the
     * window's close fills from the reserves. Too small would accept the first items wholesale.
     */
    long assumedWindowVolume() {
        return 10 * target();
    }

    /** The same job bound to a model read on the client. */
    public CurateConfig withModel(String version, int dim) {
        return new CurateConfig(spec, version, dim);
    }

    public String bootstrapServers() {
        return spec.kafka().bootstrapServers();
    }

    /** The brokers and client properties every client of the job uses. */
    public KafkaConnection kafka() {
        return spec.kafka().connection();
    }

    public String inputTopic() {
        return spec.kafka().inputTopic();
    }

    public String outputTopic() {
        return spec.kafka().outputTopic();
    }

    public String deadLetterTopic() {
        return spec.kafka().deadLetterTopic();
    }

    public String groupId() {
        return spec.kafka().groupId();
    }

    public String transactionalIdPrefix() {
        return spec.kafka().transactionalIdPrefix();
    }

    public long transactionTimeoutMs() {
        return spec.kafka().transactionTimeoutMs();
    }

    public int maxRecordBytes() {
        return spec.kafka().maxRecordBytes();
    }

    public String modelPath() {
        return spec.model();
    }

    /** T, the number of items to keep over the expected volume; 0 with keepFraction. */
    public long target() {
        return spec.quota().target() != null ? spec.quota().target() : 0;
    }

    /** V, the number of items expected over the horizon (per window with a window); 0 with keepFraction or when a window's V is left to the observed rate. */
    public long expectedVolume() {
        return spec.quota().expectedVolume() != null ? spec.quota().expectedVolume() : 0;
    }

    /** f = T / V; when > 0, V is the model's pool size and T = round(f * V). */
    public double keepFraction() {
        return spec.quota().keepFraction() != null ? spec.quota().keepFraction() : 0;
    }

    /** The carry-over file of a run this job continues under a new model (quota.carryOver), or null. */
    public String carryOverPath() {
        return spec.quota().carryOver();
    }

    /** How admission plans its quotas: as set, else adaptive in admission mode and fixed in exact mode. */
    public QuotaPlanMode quotaPlan() {
        if (spec.quota().plan() != null) {
            return spec.quota().plan();
        }
        return spec.mode() == EmitMode.ADMISSION ? QuotaPlanMode.ADAPTIVE : QuotaPlanMode.FIXED;
    }

    /** Budgets per window, or null for one horizon ({@code quota.window} unset). */
    public QuotaWindows windows() {
        String w = spec.quota().window();
        if (w == null) {
            return null;
        }
        WindowTime time = spec.quota().windowTime() != null ? spec.quota().windowTime() : WindowTime.EVENT;
        String lateness = spec.quota().allowedLateness();
        java.time.Duration l = lateness != null ? QuotaWindows.parse(lateness) : QuotaWindows.DEFAULT_LATENESS;
        return new QuotaWindows(QuotaWindows.parse(w).toMillis(), time, time == WindowTime.EVENT ? l.toMillis() : 0);
    }

    public EmitMode mode() {
        return spec.mode();
    }

    public LeafStrategy strategy() {
        return spec.strategy();
    }

    public long seed() {
        return spec.seed();
    }

    /** 0 = exact leaf assignment, B > 0 = beam descent of width B. */
    public int beam() {
        return spec.beam();
    }

    public double beamSlack() {
        return spec.beamSlack();
    }

    public boolean bounded() {
        return spec.bounded();
    }

    public int assignBatch() {
        return spec.assignBatch();
    }

    public long assignMaxDelayMillis() {
        return spec.assignMaxDelayMs();
    }

    public boolean assignOverlap() {
        return spec.assignOverlap();
    }
}
