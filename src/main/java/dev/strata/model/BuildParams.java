package dev.strata.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * How a model was built: stored in the model file so a model can be rebuilt and audited.
 * Strings rather than enums for init and resampling keep old files readable if names grow.
 * {@code splits} (the paper's two-step levels) is absent unless some level was split, so files
 * written without it read the same.
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
        String input,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<Integer> splits) {

    /** Without the paper's two-step levels (and as read from files written before splits existed: null). */
    public BuildParams(
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
        this(
                clusters,
                sampleSizes,
                resampleSteps,
                iterations,
                tolerance,
                init,
                resampling,
                seed,
                threads,
                kernel,
                points,
                input,
                null);
    }
}
