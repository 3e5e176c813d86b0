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
        long volume = keepFraction() > 0 ? pool : expectedVolume();
        long target = keepFraction() > 0 ? Math.round(keepFraction() * pool) : target();
        return StreamQuotas.of(tree, target, volume, seed());
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

    /** V, the number of items expected over the horizon; 0 with keepFraction. */
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

    public boolean bounded() {
        return spec.bounded();
    }

    public int assignBatch() {
        return spec.assignBatch();
    }

    public long assignMaxDelayMillis() {
        return spec.assignMaxDelayMs();
    }
}
