package dev.strata.job;

import dev.strata.sampling.LeafStrategy;

/**
 * What a bound {@link CurateSpec} must satisfy beyond its types: required settings, ranges, and
 * settings that only make sense together. The first broken rule is the one reported, so a user
 * fixes one line at a time.
 */
final class CurateRules {
    static final int MIN_RECORD_BYTES = 4096;
    /** Flink refuses larger parallelism (its maximum parallelism is bounded by 2^15). */
    static final int MAX_PARALLELISM = 32768;
    /** Flink's shortest checkpoint interval and timeout. */
    static final long MIN_CHECKPOINT_MS = 10;
    /** A batch is a block of rows in one array: beyond this the array, not the kernel, is the cost. */
    static final int MAX_ASSIGN_BATCH = 65536;

    private CurateRules() {}

    /** @throws ConfigProblem naming the setting(s) of the first rule the spec breaks */
    static void check(CurateSpec s) {
        if (!"curate".equals(s.job())) {
            fail("{job}: is " + ConfigProblem.quote(s.job()) + ", expected \"curate\"");
        }
        required("name", s.name());
        required("kafka.bootstrapServers", s.kafka().bootstrapServers());
        required("kafka.inputTopic", s.kafka().inputTopic());
        required("kafka.outputTopic", s.kafka().outputTopic());
        required("kafka.deadLetterTopic", s.kafka().deadLetterTopic());
        required("kafka.groupId", s.kafka().groupId());
        required("kafka.transactionalIdPrefix", s.kafka().transactionalIdPrefix());
        required("model", s.model());
        quota(s.quota());
        windows(s);
        if (s.quota().plan() == QuotaPlanMode.ADAPTIVE && s.mode() != EmitMode.ADMISSION) {
            fail("{quota.plan}: adaptive needs {mode} admission (exact mode keeps each top cluster's budget fixed); "
                    + "remove {quota.plan} or set it to fixed");
        }
        if (s.quota().carryOver() != null) {
            required("quota.carryOver", s.quota().carryOver());
            if (s.mode() != EmitMode.ADMISSION) {
                fail("{quota.carryOver}: needs {mode} admission (exact mode's candidate lists cannot be carried "
                        + "to another model); remove {quota.carryOver} or set {mode} to admission");
            }
            if (s.quota().window() != null && s.quota().windowTime() == WindowTime.PROCESSING) {
                // the carried counts are put in windows by the records' Kafka timestamps
                fail("{quota.carryOver}: not with {quota.windowTime} processing (which window the old job's clock "
                        + "put each item in is kept nowhere); remove {quota.carryOver} and swap at a window boundary");
            }
        }
        if (s.strategy() == LeafStrategy.CLOSEST && s.mode() != EmitMode.EXACT) {
            fail("{strategy}: closest needs {mode} exact (admission decides on arrival and cannot know which items "
                    + "will be closest)");
        }
        atLeast("beam", s.beam(), 0);
        if (!(s.beamSlack() >= 0 && s.beamSlack() <= 1)) {
            fail("{beamSlack}: must be in [0, 1] (0 keeps the whole beam; 0.05 drops beam clusters more than 5% "
                    + "farther than the nearest), got " + s.beamSlack());
        }
        // Flink's settings are checked where the job sets them; unset, Flink's configuration decides
        if (s.parallelism() != null) {
            between("parallelism", s.parallelism(), 1, MAX_PARALLELISM);
        }
        between("assignBatch", s.assignBatch(), 1, MAX_ASSIGN_BATCH);
        atLeast("assignMaxDelayMs", s.assignMaxDelayMs(), 1);
        if (s.checkpointing().intervalMs() != null) {
            atLeast("checkpointing.intervalMs", s.checkpointing().intervalMs(), MIN_CHECKPOINT_MS);
        }
        if (s.checkpointing().timeoutMs() != null) {
            atLeast("checkpointing.timeoutMs", s.checkpointing().timeoutMs(), MIN_CHECKPOINT_MS);
        }
        if (s.checkpointing().dir() != null) {
            required("checkpointing.dir", s.checkpointing().dir());
        }
        atLeast("kafka.transactionTimeoutMs", s.kafka().transactionTimeoutMs(), 1);
        // room for a dead letter's key, headers and the start of its value, cut to fit
        atLeast("kafka.maxRecordBytes", s.kafka().maxRecordBytes(), MIN_RECORD_BYTES);
        kafkaProperties(s.kafka().properties());
    }

    /** Keys the job sets through its own settings, each with the setting that does. */
    private static final java.util.Map<String, String> OWN_KEYS = java.util.Map.of(
            "bootstrap.servers", "kafka.bootstrapServers",
            "group.id", "kafka.groupId",
            "transactional.id", "kafka.transactionalIdPrefix",
            "transaction.timeout.ms", "kafka.transactionTimeoutMs",
            "max.request.size", "kafka.maxRecordBytes");

    /**
     * Client properties travel with the job to the cluster (its arguments, the job graph), so a
     * secret in them must be a reference that each client resolves where it runs, not the secret.
     */
    private static void kafkaProperties(java.util.Map<String, String> props) {
        for (var e : new java.util.TreeMap<>(props).entrySet()) {
            if (e.getValue() == null || e.getValue().isBlank()) {
                fail("{kafka.properties}: " + ConfigProblem.literal(e.getKey()) + " needs a value");
            }
            String own = OWN_KEYS.get(e.getKey());
            if (own != null) {
                fail("{kafka.properties}: " + e.getKey() + " is set by {" + own
                        + "}; remove it from {kafka.properties}");
            }
        }
        java.util.List<String> secrets = dev.strata.kafka.KafkaClientProperties.writtenSecrets(props);
        if (!secrets.isEmpty()) {
            String k = secrets.get(0);
            fail("{kafka.properties}: " + k + " is a secret written out, and a job's settings travel to the cluster; "
                    + "keep it in a file or the environment and write a reference Kafka resolves in each client: "
                    + "${file:/path/to/client.properties:" + k + "}"
                    + " with config.providers: file and config.providers.file.class: "
                    + "org.apache.kafka.common.config.provider.FileConfigProvider (or "
                    + "${env:VAR}" + " with EnvVarConfigProvider)");
        }
    }

    private static void quota(CurateSpec.Quota q) {
        boolean byFraction = q.keepFraction() != null;
        boolean byTarget = q.target() != null || q.expectedVolume() != null;
        if (byFraction && byTarget) {
            fail("give {quota.target} with {quota.expectedVolume}, or {quota.keepFraction}, not both");
        }
        if (byFraction && q.window() != null) {
            fail("{quota.window}: give {quota.target}, the items to keep per window, instead of {quota.keepFraction}");
        }
        if (byFraction) {
            double f = q.keepFraction();
            if (!(f > 0 && f <= 1)) {
                fail("{quota.keepFraction}: must be in (0, 1], got " + f);
            }
            return;
        }
        if (q.window() != null) {
            // per window: T is required, V may be left to the observed rate
            if (q.target() == null) {
                fail("{quota.window}: give {quota.target}, the items to keep per window");
            }
            atLeast("quota.target", q.target(), 1);
            if (q.expectedVolume() != null) {
                atLeast("quota.expectedVolume", q.expectedVolume(), 1);
            }
            return;
        }
        if (q.target() == null || q.expectedVolume() == null) {
            fail("give {quota.target} with {quota.expectedVolume}, or {quota.keepFraction}");
        }
        atLeast("quota.target", q.target(), 1);
        atLeast("quota.expectedVolume", q.expectedVolume(), 1);
    }

    /** Budgets per window: a duration with a unit, on adaptive admission only; its two companions need it. */
    private static void windows(CurateSpec s) {
        CurateSpec.Quota q = s.quota();
        if (q.window() == null) {
            if (q.windowTime() != null) {
                fail("{quota.windowTime} needs {quota.window}; set a window (like 1d) or remove {quota.windowTime}");
            }
            if (q.allowedLateness() != null) {
                fail("{quota.allowedLateness} needs {quota.window}; set a window (like 1d) or remove "
                        + "{quota.allowedLateness}");
            }
            return;
        }
        java.time.Duration w = QuotaWindows.parse(q.window());
        if (w == null) {
            fail("{quota.window}: " + ConfigProblem.quote(q.window())
                    + " is not a duration; write a number with a unit, like 30m, 6h or 1d");
        }
        if (w.toMillis() < QuotaWindows.MIN_SIZE_MILLIS) {
            fail("{quota.window}: must be at least 1s, got " + ConfigProblem.quote(q.window()));
        }
        if (s.mode() != EmitMode.ADMISSION || q.plan() == QuotaPlanMode.FIXED) {
            fail("{quota.window}: windows need {mode} admission with adaptive quotas; remove {quota.window}, "
                    + "or set {mode} admission and remove {quota.plan}");
        }
        if (q.allowedLateness() != null) {
            java.time.Duration l = QuotaWindows.parse(q.allowedLateness());
            if (l == null) {
                fail("{quota.allowedLateness}: " + ConfigProblem.quote(q.allowedLateness())
                        + " is not a duration; write a number with a unit, like 30s or 5m");
            }
            if (l.compareTo(w) >= 0) {
                fail("{quota.allowedLateness}: must be shorter than {quota.window} (" + q.window() + "), got "
                        + ConfigProblem.quote(q.allowedLateness()));
            }
            if (q.windowTime() == WindowTime.PROCESSING) {
                fail("{quota.allowedLateness} applies to {quota.windowTime} event only (in processing time no item "
                        + "is late); remove it");
            }
        }
    }

    private static void required(String key, String value) {
        if (value == null || value.isBlank()) {
            fail("missing {" + key + "}");
        }
    }

    private static void atLeast(String key, long value, long min) {
        if (value < min) {
            fail("{" + key + "}: must be >= " + min + ", got " + value);
        }
    }

    private static void between(String key, long value, long min, long max) {
        if (value < min || value > max) {
            fail("{" + key + "}: must be between " + min + " and " + max + ", got " + value);
        }
    }

    private static void fail(String template) {
        throw new ConfigProblem(null, template);
    }
}
