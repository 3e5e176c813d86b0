package dev.strata.job;

import dev.strata.model.ClusterTree;
import dev.strata.sampling.CarryOver;
import dev.strata.sampling.StreamQuotas;
import java.time.Duration;
import java.util.Properties;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * The curation job graph (docs/architecture.md):
 *
 * <pre>
 * KafkaSource(input) -> decode -> assign leaf (batched kernel) -> keyBy(top cluster)
 *     -> admission | exact selection (RocksDB keyed state) -> KafkaSink(curated, exactly once)
 *   assign --dead letters--> KafkaSink(dlq, exactly once)
 *   selection --accepted per top--> balance monitor (entropy gauge)
 * </pre>
 */
public final class CurationJob {
    private CurationJob() {}

    /**
     * Adds the job to {@code env}; the caller configures checkpointing and executes. Refuses
     * output topics the job could not write correctly ({@link SinkTopics}).
     */
    public static void build(StreamExecutionEnvironment env, CurateConfig cfg, int topClusters) {
        int maxRecordBytes = cfg.maxRecordBytes();
        SinkTopics.check(cfg.kafka(), cfg.outputTopic(), cfg.deadLetterTopic(), cfg.mode(), maxRecordBytes);
        // the client's model fixes what the decoder checks: its metric and its curated records' size
        ClusterTree model = ModelLoader.load(cfg.modelPath(), cfg.modelVersion());
        // a carry-over that does not fit the model is refused here, before any task reads it
        CarryOver carry = CarryOverLoader.load(cfg, model);
        // the client properties first: the source's own settings below win over them
        KafkaSourceBuilder<InputEvent> source = KafkaSource.<InputEvent>builder()
                .setProperties(cfg.kafka().clientProperties())
                .setBootstrapServers(cfg.bootstrapServers())
                .setKafkaSubscriber(new RequiredTopic(cfg.inputTopic(), cfg.bootstrapServers()))
                .setGroupId(cfg.groupId())
                .setStartingOffsets(startingOffsets(cfg, carry))
                .setDeserializer(new InputDeserializer(InputDeserializer.rulesFor(model, maxRecordBytes)))
                .setProperty("isolation.level", "read_committed")
                .setProperty("partition.discovery.interval.ms", "30000");
        if (cfg.bounded()) {
            source.setBounded(OffsetsInitializer.latest());
        }
        DataStream<InputEvent> input = env.fromSource(source.build(), watermarks(cfg), "kafka:" + cfg.inputTopic())
                .uid("source")
                .name("Source " + cfg.inputTopic());

        SingleOutputStreamOperator<AssignedItem> assigned = input.transform(
                        cfg.beam() > 0
                                ? "Assign (beam " + cfg.beam()
                                        + (cfg.beamSlack() > 0 ? ", slack " + cfg.beamSlack() : "") + ")"
                                : "Assign (exact)",
                        TypeInformation.of(AssignedItem.class),
                        new AssignOperator(cfg))
                .uid("assign");

        assigned.getSideOutput(AssignOperator.DEAD_LETTERS)
                .sinkTo(sink(
                        cfg,
                        cfg.deadLetterTopic(),
                        new DeadLetterSerializer(cfg.deadLetterTopic(), maxRecordBytes),
                        "dlq",
                        maxRecordBytes))
                .uid("dlq-sink")
                .name("DLQ");

        SingleOutputStreamOperator<CuratedEvent> curated;
        if (cfg.mode() == EmitMode.ADMISSION && cfg.quotaPlan() == QuotaPlanMode.ADAPTIVE) {
            StreamQuotas quotas = cfg.quotas(model);
            curated =
                    AdaptiveAdmissionGraph.attach(assigned, cfg, topClusters, quotas.volume(), quotas.target(), carry);
        } else {
            KeyedProcessFunction<Integer, AssignedItem, CuratedEvent> selection =
                    cfg.mode() == EmitMode.EXACT ? new ExactSelectionFunction(cfg) : new AdmissionFunction(cfg);
            curated = assigned.keyBy(item -> item.top, TypeInformation.of(Integer.class))
                    .process(selection, TypeInformation.of(CuratedEvent.class))
                    .uid(selectionUid(cfg))
                    .name(
                            cfg.mode() == EmitMode.EXACT
                                    ? "Exact selection (" + cfg.strategy().label() + ")"
                                    : "Admission quotas");
        }

        curated.sinkTo(sink(
                        cfg, cfg.outputTopic(), new CuratedSerializer(cfg.outputTopic()), "curated", maxRecordBytes))
                .uid("curated-sink")
                .name("Curated");

        curated.getSideOutput(AdmissionFunction.SELECTION_CHANGES)
                .keyBy(d -> 0, TypeInformation.of(Integer.class))
                .process(
                        new BalanceMonitor(
                                topClusters,
                                carry == null
                                        ? null
                                        : CarryOver.perTop(carry.kept(), model.topOfLeaves(), topClusters)),
                        TypeInformation.of(Void.class))
                .uid("balance")
                .name("Balance monitor")
                .setParallelism(1)
                .sinkTo(new DiscardingSink<>())
                .uid("balance-sink")
                .name("Balance (metrics only)")
                .setParallelism(1);
    }

    /**
     * Where a job without state starts reading: the group's committed offsets, or, for a job that
     * continues a run under a new model, exactly where its carry-over ends (the offsets the old
     * run's group committed can lag what it read: a stop with a savepoint does not commit them).
     * A restored job starts from the offsets in its state either way.
     */
    private static OffsetsInitializer startingOffsets(CurateConfig cfg, CarryOver carry) {
        if (carry == null) {
            return OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
        }
        java.util.Map<org.apache.kafka.common.TopicPartition, Long> at = new java.util.HashMap<>();
        for (CarryOver.PartitionRange r : carry.offsets()) {
            at.put(new org.apache.kafka.common.TopicPartition(cfg.inputTopic(), r.partition()), r.until());
        }
        return OffsetsInitializer.offsets(at, OffsetResetStrategy.EARLIEST);
    }

    /**
     * Event-time windows: the Kafka record timestamps, out of order by at most the allowed
     * lateness, and a partition without records for {@link QuotaWindows#IDLENESS} stops holding
     * the watermark back (a quiet partition must not keep every window open). Otherwise none:
     * processing-time windows take their watermarks from the assignment's clock.
     */
    private static WatermarkStrategy<InputEvent> watermarks(CurateConfig cfg) {
        QuotaWindows w = cfg.windows();
        if (w == null || w.time() != WindowTime.EVENT) {
            return WatermarkStrategy.noWatermarks();
        }
        return WatermarkStrategy.<InputEvent>forBoundedOutOfOrderness(Duration.ofMillis(w.latenessMillis()))
                .withIdleness(QuotaWindows.IDLENESS);
    }

    /**
     * The selection state is indexed by the model's clusters, so the model version is part of
     * its uid: a savepoint taken under another model is refused, not misread. Exact mode's
     * candidate lists are also ranked by the strategy and seed and trimmed to the quotas, so
     * for it those settings are part of the uid too; admission counters stay valid when the
     * quota settings change.
     */
    static String selectionUid(CurateConfig cfg) {
        String uid = "select-" + cfg.mode().label() + "-" + cfg.modelVersion();
        if (cfg.mode() == EmitMode.ADMISSION && cfg.quotaPlan() == QuotaPlanMode.ADAPTIVE) {
            // other state (whole-subtree counters, a broadcast plan): a fixed plan's savepoint does not fit it
            uid = "select-admission-adaptive-" + cfg.modelVersion();
            if (cfg.windows() != null) {
                // keyed by (window, top cluster), with plans per window
                uid = "select-admission-windowed-" + cfg.modelVersion();
            }
        }
        if (cfg.mode() == EmitMode.EXACT) {
            String settings = cfg.strategy().label() + "/" + cfg.seed() + "/" + cfg.target() + "/"
                    + cfg.expectedVolume() + "/" + cfg.keepFraction();
            uid += "-" + Integer.toHexString(settings.hashCode());
        }
        return uid;
    }

    private static <T> KafkaSink<T> sink(
            CurateConfig cfg,
            String topic,
            org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema<T> serializer,
            String role,
            int maxRecordBytes) {
        // the client properties (security, config providers), then the sink's own settings
        Properties props = cfg.kafka().clientProperties();
        props.setProperty("transaction.timeout.ms", Long.toString(cfg.transactionTimeoutMs()));
        // the decoder and the dead-letter cut measure against this same limit
        props.setProperty("max.request.size", Integer.toString(maxRecordBytes));
        return KafkaSink.<T>builder()
                .setBootstrapServers(cfg.bootstrapServers())
                .setRecordSerializer(serializer)
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(cfg.transactionalIdPrefix() + "-" + role)
                .setKafkaProducerConfig(props)
                .build();
    }
}
