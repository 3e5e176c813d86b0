package dev.strata.job;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.configuration.RestartStrategyOptions;

/**
 * How often a failing job is restarted before it is declared failed. Without a bound, a failure
 * that a restart cannot heal (a record the sink refuses, a broker setting) fails the same way
 * forever and nobody is told. Exponential delay rides out a broker or storage outage of a few
 * minutes; ten failures in a row without a stable hour in between end the job. Failures that
 * cannot heal at all skip the restarts: {@link NonRecoverable}.
 *
 * <p>These are Flink configuration keys, not {@code env.setRestartStrategy}: the local commands
 * pass them as their Flink configuration ({@link FlinkSettings#localDefaults}); on a cluster its
 * own restart-strategy.* decide (flink-jobs/cluster/config.yaml and the FlinkDeployment set these).
 */
public final class RestartPolicy {
    /** Restarts after consecutive failures before the job fails for good. */
    public static final int ATTEMPTS = 10;

    private RestartPolicy() {}

    public static Map<String, String> settings() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put(RestartStrategyOptions.RESTART_STRATEGY.key(), "exponential-delay");
        s.put(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF.key(), "1 s");
        s.put(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF.key(), "30 s");
        s.put(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_BACKOFF_MULTIPLIER.key(), "2.0");
        s.put(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS.key(), Integer.toString(ATTEMPTS));
        // a job that ran an hour since its last failure starts counting again
        s.put(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_RESET_BACKOFF_THRESHOLD.key(), "1 h");
        return s;
    }
}
