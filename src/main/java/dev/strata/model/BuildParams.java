package dev.strata.model;

import java.util.List;

/**
 * How a model was built: stored in the model file so a model can be rebuilt and audited.
 * Strings rather than enums for init and resampling keep old files readable if names grow.
 */
public record BuildParams(
        List<Integer> clusters,
        List<Integer> sampleSizes,
        List<Integer> resampleSteps,
        int iterations,
        double tolerance,
        String init,
        String resampling,
        long seed,
        int threads,
        String kernel,
        long points,
        String input) {
}
