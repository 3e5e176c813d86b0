package dev.strata.job;

import dev.strata.kafka.KafkaConnection;
import dev.strata.records.RecordSize;
import dev.strata.sampling.LeafStrategy;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * A curate job as written in flink-jobs/curate.yaml, the one model of its settings: the job file,
 * the flags of `strata curate`, the demo, the benchmark and the tests all build it through
 * {@link CurateSpecBinder}, which binds it strictly and checks it with {@link CurateRules}.
 * Each default is written once, as a field's initial value here; fields are set only by the
 * binder, so a spec that exists has passed the rules.
 *
 * <p>Field names are the YAML keys (nested like the file); docs in flink-jobs/README.md.
 */
public final class CurateSpec implements Serializable {
    private static final long serialVersionUID = 1L;

    private String job = "curate";
    private String name = "strata-curate";
    private Kafka kafka = new Kafka();
    private String model;
    private Quota quota = new Quota();
    private EmitMode mode = EmitMode.ADMISSION;
    private LeafStrategy strategy = LeafStrategy.RANDOM;
    private long seed = 0;
    private int beam = 0;
    /** Beam descent: drop beam candidates farther than (1 + beamSlack) times the nearest; 0 keeps the whole beam. */
    private double beamSlack = 0;

    private boolean bounded = false;
    /** Null: Flink decides (`flink run -p`, parallelism.default); see {@link FlinkSettings}. */
    private Integer parallelism;

    private Checkpointing checkpointing = new Checkpointing();
    private int assignBatch = 1024;
    private long assignMaxDelayMs = 20;
    /** Assign a batch on a worker thread while the task reads and decodes the next one. */
    private boolean assignOverlap = true;

    CurateSpec() {}

    /** Where the Kafka side of the job lives. */
    public static final class Kafka implements Serializable {
        private static final long serialVersionUID = 1L;

        private String bootstrapServers = "127.0.0.1:9092";
        private String inputTopic;
        private String outputTopic;
        private String deadLetterTopic;
        private String groupId;
        private String transactionalIdPrefix;
        /** Below the broker's default transaction.max.timeout.ms (15 min), which refuses the sink's 1 h default. */
        private long transactionTimeoutMs = 600_000;
        /** The largest record read or written; larger ones are OVERSIZED dead letters (docs/record-format.md). */
        private int maxRecordBytes = RecordSize.DEFAULT_MAX_RECORD_BYTES;
        /**
         * Kafka client properties for every client of the job (security.protocol, sasl.*, ssl.*,
         * config.providers): secrets only as config-provider references (CurateRules).
         */
        private Map<String, String> properties = new TreeMap<>();

        Kafka() {}

        /** Defaults that follow from other settings, filled in once those are bound. */
        void deriveDefaults() {
            if (deadLetterTopic == null && inputTopic != null) {
                deadLetterTopic = inputTopic + ".dlq";
            }
            if (groupId == null && outputTopic != null) {
                groupId = "strata-" + outputTopic;
            }
            // transactional ids must be unique per job and stable across its restarts: two jobs
            // sharing a prefix fence each other's producers; group and output topic identify a job
            if (transactionalIdPrefix == null && groupId != null) {
                transactionalIdPrefix = "strata-" + groupId + "-" + outputTopic;
            }
        }

        public String bootstrapServers() {
            return bootstrapServers;
        }

        public String inputTopic() {
            return inputTopic;
        }

        public String outputTopic() {
            return outputTopic;
        }

        public String deadLetterTopic() {
            return deadLetterTopic;
        }

        public String groupId() {
            return groupId;
        }

        public String transactionalIdPrefix() {
            return transactionalIdPrefix;
        }

        public long transactionTimeoutMs() {
            return transactionTimeoutMs;
        }

        public int maxRecordBytes() {
            return maxRecordBytes;
        }

        /** The client properties as written (references unresolved). */
        public Map<String, String> properties() {
            return java.util.Collections.unmodifiableMap(properties);
        }

        /** The brokers and the client properties, as every client of the job connects. */
        public KafkaConnection connection() {
            return new KafkaConnection(bootstrapServers, properties);
        }
    }

    /** T over an expected V, or a fraction of the model's pool; null where not given. */
    public static final class Quota implements Serializable {
        private static final long serialVersionUID = 1L;

        private Long target;
        private Long expectedVolume;
        private Double keepFraction;
        /** fixed | adaptive; unset: adaptive in admission mode, fixed in exact mode (CurateConfig.quotaPlan). */
        private QuotaPlanMode plan;
        /**
         * A carry-over file from `strata carry-over`: the counters of a run this job continues
         * under a new model; readable wherever the job runs, like the model. Null: a fresh run.
         */
        private String carryOver;
        /**
         * Budgets per window: T for every window of this length (30m, 6h, 1d); unset: one horizon.
         * docs/architecture.md, "Budgets per window".
         */
        private String window;
        /** event | processing; unset: event (CurateConfig.windows). */
        private WindowTime windowTime;
        /** Out-of-orderness the event-time watermark allows; unset: 1m (QuotaWindows.DEFAULT_LATENESS). */
        private String allowedLateness;

        Quota() {}

        public Long target() {
            return target;
        }

        public Long expectedVolume() {
            return expectedVolume;
        }

        public Double keepFraction() {
            return keepFraction;
        }

        public QuotaPlanMode plan() {
            return plan;
        }

        public String carryOver() {
            return carryOver;
        }

        /** The window as written, or null for one horizon. */
        public String window() {
            return window;
        }

        public WindowTime windowTime() {
            return windowTime;
        }

        public String allowedLateness() {
            return allowedLateness;
        }
    }

    /** How often state and output are committed, and how long a checkpoint may take. */
    public static final class Checkpointing implements Serializable {
        private static final long serialVersionUID = 1L;

        /** Each null: the Flink configuration decides (the local commands' defaults: {@link FlinkSettings}). */
        private Long intervalMs;

        private Long timeoutMs;
        private String dir;

        Checkpointing() {}

        /** Null when the job leaves it to the Flink configuration. */
        public Long intervalMs() {
            return intervalMs;
        }

        /** Null when the job leaves it to the Flink configuration. */
        public Long timeoutMs() {
            return timeoutMs;
        }

        /** Null when the job leaves it to the Flink configuration. */
        public String dir() {
            return dir;
        }
    }

    /** Reads and checks a job file; relative paths resolve against {@code base} (null: as written). */
    public static CurateSpec read(Path file, Path base) {
        return CurateSpecBinder.read(file, base);
    }

    /** The same for YAML text; {@code source} names it in messages. */
    public static CurateSpec parse(String yaml, String source, Path base) {
        return CurateSpecBinder.parse(yaml, source, base);
    }

    /**
     * A spec from settings keyed by their YAML path ("kafka.inputTopic", "quota.target"), bound and
     * checked like a file: the way code and the command line build one.
     */
    public static CurateSpec of(Map<String, ?> settings) {
        return CurateSpecBinder.bind(settings, null);
    }

    /** The default of a setting as the job file would write it, or null when it has none (or derives it). */
    public static String defaultOf(String key) {
        return CurateSpecBinder.defaultOf(key);
    }

    /** This spec with some settings changed (keyed by YAML path), checked again. */
    public CurateSpec with(Map<String, ?> changes) {
        return CurateSpecBinder.with(this, changes);
    }

    /** This spec as flink-jobs YAML, defaults filled in; {@link #parse} reads it back to an equal spec. */
    public String toYaml() {
        return CurateSpecBinder.toYaml(this);
    }

    public String job() {
        return job;
    }

    public String name() {
        return name;
    }

    public Kafka kafka() {
        return kafka;
    }

    public String model() {
        return model;
    }

    public Quota quota() {
        return quota;
    }

    public EmitMode mode() {
        return mode;
    }

    public LeafStrategy strategy() {
        return strategy;
    }

    public long seed() {
        return seed;
    }

    public int beam() {
        return beam;
    }

    public double beamSlack() {
        return beamSlack;
    }

    public boolean bounded() {
        return bounded;
    }

    /** Null when the job leaves it to Flink (`-p`, parallelism.default). */
    public Integer parallelism() {
        return parallelism;
    }

    public Checkpointing checkpointing() {
        return checkpointing;
    }

    public int assignBatch() {
        return assignBatch;
    }

    public long assignMaxDelayMs() {
        return assignMaxDelayMs;
    }

    public boolean assignOverlap() {
        return assignOverlap;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CurateSpec other && toYaml().equals(other.toYaml());
    }

    @Override
    public int hashCode() {
        return toYaml().hashCode();
    }

    @Override
    public String toString() {
        return toYaml();
    }
}
