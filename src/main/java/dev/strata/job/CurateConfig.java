package dev.strata.job;

import dev.strata.StrataException;
import java.io.Serializable;

/**
 * Everything the curation job needs to know, shipped with the job graph. Built by the command
 * line or from a flink-jobs/*.yaml file; validated once here so a task never starts on a bad one.
 *
 * @param target         T, the number of items to keep over the expected volume (ignored with keepFraction)
 * @param expectedVolume V, the number of items expected over the horizon
 * @param keepFraction   f = T / V; when > 0, V is the model's pool size and T = round(f * V)
 * @param beam           0 = exact leaf assignment, B > 0 = beam descent of width B
 * @param modelVersion   version the client read at submission; tasks refuse a model file that changed since
 */
public record CurateConfig(
        String bootstrapServers,
        String inputTopic,
        String outputTopic,
        String deadLetterTopic,
        String modelPath,
        String modelVersion,
        int modelDim,
        long target,
        long expectedVolume,
        double keepFraction,
        EmitMode mode,
        dev.strata.sampling.LeafStrategy strategy,
        long seed,
        int beam,
        boolean bounded,
        String groupId,
        String transactionalIdPrefix,
        int assignBatch,
        long assignMaxDelayMillis) implements Serializable {

    public CurateConfig {
        if (keepFraction > 0) {
            if (keepFraction > 1) {
                throw new StrataException("--keep-fraction must be in (0, 1], got " + keepFraction);
            }
        } else if (target < 0 || expectedVolume <= 0) {
            throw new StrataException("give --target N with --expected-volume V (V > 0), or --keep-fraction F");
        }
        if (mode == EmitMode.ADMISSION && strategy == dev.strata.sampling.LeafStrategy.CLOSEST) {
            throw new StrataException("--strategy closest needs --mode exact: admission decides on arrival and cannot "
                    + "know which items will be closest");
        }
        if (beam < 0) {
            throw new StrataException("--beam must be >= 0 (0 = exact assignment), got " + beam);
        }
        if (assignBatch < 1) {
            throw new StrataException("assignment batch must be >= 1, got " + assignBatch);
        }
    }

    /** The same config bound to a model read on the client: tasks check the version, the source the dimension. */
    public CurateConfig withModel(String version, int dim) {
        return new CurateConfig(bootstrapServers, inputTopic, outputTopic, deadLetterTopic, modelPath, version, dim, target,
                expectedVolume, keepFraction, mode, strategy, seed, beam, bounded, groupId, transactionalIdPrefix,
                assignBatch, assignMaxDelayMillis);
    }
}
