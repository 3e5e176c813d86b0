package dev.strata.cli;

import dev.strata.StrataException;
import dev.strata.job.ConfigProblem;
import dev.strata.job.CurateSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * The flags of the curate job and the job-file keys they set. Picocli types the flags; the
 * spec's binder applies the defaults and the rules of a job file to them, and its complaints come
 * back here to be said in flags instead of keys.
 */
final class CurateFlags {
    /** Flag to YAML path; flags not listed here are about how to run, not about the job. */
    static final Map<String, String> KEYS = Map.ofEntries(
            Map.entry("--bootstrap-servers", "kafka.bootstrapServers"),
            Map.entry("--input-topic", "kafka.inputTopic"),
            Map.entry("--output-topic", "kafka.outputTopic"),
            Map.entry("--dead-letter-topic", "kafka.deadLetterTopic"),
            Map.entry("--group-id", "kafka.groupId"),
            Map.entry("--transaction-timeout-ms", "kafka.transactionTimeoutMs"),
            Map.entry("--max-record-bytes", "kafka.maxRecordBytes"),
            Map.entry("--model", "model"),
            Map.entry("--target", "quota.target"),
            Map.entry("--expected-volume", "quota.expectedVolume"),
            Map.entry("--keep-fraction", "quota.keepFraction"),
            Map.entry("--mode", "mode"),
            Map.entry("--quota-plan", "quota.plan"),
            Map.entry("--carry-over", "quota.carryOver"),
            Map.entry("--window", "quota.window"),
            Map.entry("--window-time", "quota.windowTime"),
            Map.entry("--allowed-lateness", "quota.allowedLateness"),
            Map.entry("--strategy", "strategy"),
            Map.entry("--seed", "seed"),
            Map.entry("--beam", "beam"),
            Map.entry("--beam-slack", "beamSlack"),
            Map.entry("--bounded", "bounded"),
            Map.entry("--parallelism", "parallelism"),
            Map.entry("--checkpoint-dir", "checkpointing.dir"),
            Map.entry("--checkpoint-interval-ms", "checkpointing.intervalMs"),
            Map.entry("--checkpoint-timeout-ms", "checkpointing.timeoutMs"));

    private CurateFlags() {}

    /** The spec the given flags describe, defaults from the job file's model. */
    static CurateSpec spec(ParseResult parsed) {
        Map<String, Object> settings = new LinkedHashMap<>();
        for (OptionSpec o : parsed.matchedOptions()) {
            String key = KEYS.get(o.longestName());
            if (key != null) {
                settings.put(key, o.getValue());
            }
        }
        return inFlags(() -> CurateSpec.of(settings));
    }

    /** Runs a step that checks settings, saying any problem with flag names. */
    static <T> T inFlags(Supplier<T> step) {
        try {
            return step.get();
        } catch (ConfigProblem p) {
            throw new StrataException(p.render(CurateFlags::flag));
        }
    }

    /** The flag that sets a YAML key, or the key itself when no flag does (set in a job file only). */
    static String flag(String key) {
        for (Map.Entry<String, String> e : KEYS.entrySet()) {
            if (e.getValue().equals(key)) {
                return e.getKey();
            }
        }
        return key;
    }
}
