package dev.strata.job;

import dev.strata.assign.ExactAssigner;
import dev.strata.assign.LeafAssignment;
import dev.strata.kafka.KafkaTestSupport;
import dev.strata.kmeans.HierarchicalKMeans;
import dev.strata.kmeans.Init;
import dev.strata.kmeans.KMeans;
import dev.strata.kmeans.KMeansConfig;
import dev.strata.kmeans.LevelSpec;
import dev.strata.kmeans.Resampling;
import dev.strata.model.ClusterTree;
import dev.strata.model.Metric;
import dev.strata.model.ModelFile;
import dev.strata.progress.Progress;
import dev.strata.records.CuratedRecord;
import dev.strata.records.EmbeddingRecord;
import dev.strata.records.EncodedRecord;
import dev.strata.records.RecordEncoder;
import dev.strata.records.WireFormat;
import dev.strata.synth.GaussianMixture;
import dev.strata.synth.SyntheticData;
import dev.strata.vector.Kernels;
import dev.strata.vector.NearestCentroids;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/** A small long-tailed data set, a model bootstrapped on it, and the Kafka plumbing the job tests share. */
final class JobFixture {
    final int n;
    final int dim;
    final SyntheticData data;
    final ClusterTree tree;
    final Path modelPath;
    final LeafAssignment leaves;

    JobFixture(Path dir, int n, int dim, long seed) {
        this.n = n;
        this.dim = dim;
        this.data = new GaussianMixture(n, dim, 30, 1.1, seed).generate();
        this.modelPath = dir.resolve("model-" + seed + ".strata");
        this.tree = ModelFile.write(bootstrap(60, 8, 3), modelPath);
        try (NearestCentroids nearest = new NearestCentroids(Kernels.fastest(), 1)) {
            this.leaves = new ExactAssigner(tree, nearest).assign(data.points());
        }
    }

    /** A model of this data with {@code leaves} leaves under {@code tops} top clusters, k-means seeded with {@code seed}. */
    ClusterTree bootstrap(int leaves, int tops, long seed) {
        try (KMeans km = new KMeans(Kernels.fastest(), 2, Progress.silent())) {
            return new HierarchicalKMeans(km, Progress.silent())
                    .fit(
                            data.points(),
                            List.of(new LevelSpec(leaves, 10, 2), new LevelSpec(tops, 2, 2)),
                            new KMeansConfig(1, 10, 0, Init.KMEANS_PLUS_PLUS, Metric.L2, seed),
                            Resampling.CLOSEST,
                            null);
        }
    }

    CurateConfig config(
            String bootstrap,
            String in,
            String out,
            String dlq,
            EmitMode mode,
            dev.strata.sampling.LeafStrategy strategy,
            long target,
            long volume,
            boolean bounded) {
        String group = "it-" + out;
        CurateSpec spec = CurateSpec.of(java.util.Map.ofEntries(
                java.util.Map.entry("kafka.bootstrapServers", bootstrap),
                java.util.Map.entry("kafka.inputTopic", in),
                java.util.Map.entry("kafka.outputTopic", out),
                java.util.Map.entry("kafka.deadLetterTopic", dlq),
                java.util.Map.entry("kafka.groupId", group),
                java.util.Map.entry("kafka.transactionalIdPrefix", group),
                java.util.Map.entry("model", modelPath.toString()),
                java.util.Map.entry("quota.target", target),
                java.util.Map.entry("quota.expectedVolume", volume),
                java.util.Map.entry("mode", mode),
                java.util.Map.entry("strategy", strategy),
                java.util.Map.entry("bounded", bounded)));
        return CurateConfig.of(spec).withModel(tree.version(), dim);
    }

    /** Rows [from, to), ids = row index, in a seeded shuffled order; records/s when rate > 0. */
    void produce(String bootstrap, String topic, int from, int to, long seed, double rate) {
        List<Integer> order = new ArrayList<>();
        for (int i = from; i < to; i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(seed));
        long start = System.nanoTime();
        java.util.concurrent.atomic.AtomicReference<Exception> failed =
                new java.util.concurrent.atomic.AtomicReference<>();
        try (KafkaProducer<byte[], byte[]> p = KafkaTestSupport.producer(bootstrap)) {
            int sent = 0;
            for (int i : order) {
                p.send(record(topic, i), (meta, e) -> {
                    if (e != null) {
                        failed.compareAndSet(null, e);
                    }
                });
                sent++;
                if (rate > 0) {
                    long due = start + (long) (sent / rate * 1e9);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        try {
                            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                        } catch (InterruptedException ex) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                    }
                }
            }
        }
        // a test input that silently lost a record would read as the job losing it
        if (failed.get() != null) {
            throw new AssertionError("producing to " + topic + " failed", failed.get());
        }
    }

    /** Row {@code row} as the input record a crawler sends: id = row index, JSON or float32 alternately. */
    ProducerRecord<byte[], byte[]> record(String topic, int row) {
        EncodedRecord e = RecordEncoder.encode(
                new EmbeddingRecord(
                        Integer.toString(row), data.points().row(row), "{\"label\":" + data.labels()[row] + "}"),
                row % 2 == 0 ? WireFormat.JSON : WireFormat.F32);
        return new ProducerRecord<>(topic, null, e.key(), e.value(), e.headers());
    }

    /** Committed curated records (read_committed), tombstones skipped. */
    static List<CuratedRecord> curated(String bootstrap, String topic) {
        List<CuratedRecord> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : KafkaTestSupport.readAll(bootstrap, topic)) {
            if (r.value() != null) {
                out.add(CuratedRecord.fromJson(r.value()));
            }
        }
        return out;
    }

    long[] perLeaf(Iterable<Integer> rows) {
        long[] c = new long[tree.leaves().clusters()];
        for (int r : rows) {
            c[leaves.leaf()[r]]++;
        }
        return c;
    }

    long[] perTop(long[] leafCounts) {
        long[] top = new long[tree.top().clusters()];
        int[] topOf = tree.topOfLeaves();
        for (int l = 0; l < leafCounts.length; l++) {
            top[topOf[l]] += leafCounts[l];
        }
        return top;
    }
}
