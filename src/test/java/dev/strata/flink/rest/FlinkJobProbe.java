package dev.strata.flink.rest;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What the tests read about a job from the REST API the dashboard reads: checkpoint statistics and
 * the exception history, which no command needs, so they live here, beside the calls of
 * {@link FlinkRest} the tests use.
 */
public final class FlinkJobProbe {
    private final FlinkRest rest;

    public FlinkJobProbe(String jobManagerUrl) {
        this.rest = new FlinkRest(jobManagerUrl);
    }

    public JsonNode job(String jobId) {
        return rest.job(jobId);
    }

    /** Checkpoint statistics of a job (counts, latest completed, ...). */
    public JsonNode jobCheckpoints(String jobId) {
        return rest.get("/jobs/" + jobId + "/checkpoints");
    }

    /** How many failures the job has recorded (each one led to a restart or to the end of the job). */
    public int jobFailures(String jobId) {
        return rest.get("/jobs/" + jobId + "/exceptions")
                .path("exceptionHistory")
                .path("entries")
                .size();
    }

    /** The raw body of a GET on any REST path ("/jobs/ID/config"). */
    public String raw(String path) {
        return rest.raw(path);
    }

    public String jobState(String jobId) {
        return rest.jobState(jobId);
    }

    public void cancel(String jobId) {
        rest.cancel(jobId);
    }

    public String stopWithSavepoint(String jobId, String targetDir) {
        return rest.stopWithSavepoint(jobId, targetDir);
    }

    public boolean answers() {
        return rest.answers();
    }
}
