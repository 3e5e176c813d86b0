package dev.strata.bench;

import dev.strata.StrataException;
import dev.strata.assign.RecallMeter;
import dev.strata.job.CurateSpec;
import dev.strata.kafka.EmbeddingPublisher;
import dev.strata.kafka.KafkaTopics;
import dev.strata.local.LocalKafka;
import dev.strata.model.ClusterTree;
import dev.strata.model.ModelFile;
import dev.strata.progress.Progress;
import dev.strata.records.RecordSize;
import dev.strata.records.WireFormat;
import dev.strata.synth.GaussianMixture;
import dev.strata.vector.FloatMatrix;
import dev.strata.vector.Kernels;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * The streaming job end to end on the production shape (d = 768, 10,000 leaves), next to a plain
 * Kafka consumer on the same topic, in one run:
 * <ol>
 *   <li>held-out rows of the mixture the model was built on are produced once per wire format into
 *       a fresh 4-partition topic (produce rate);</li>
 *   <li>one plain consumer reads that topic (records/s: what the broker and client give);</li>
 *   <li>per beam, the curation job runs bounded over the topic on a fresh local Flink (admission
 *       mode, exactly-once sinks, RocksDB) and its rate is records / processing window
 *       ({@link StreamJobRun} says how the window is measured); the whole run's rate is shown too;</li>
 *   <li>recall of each beam against exact assignment, and the single-thread assignment rates, on
 *       the first rows of the same records.</li>
 * </ol>
 * The model and mixture are those of {@link AssignBenchmark} (its defaults). Not part of the tests.
 */
public final class StreamingBenchmark {

    /** Settings; the defaults are those of docs/benchmarks.md. */
    public record Options(
            String bootstrapServers,
            Path model,
            int records,
            List<WireFormat> formats,
            List<Integer> beams,
            List<Integer> assignBatches,
            int parallelism,
            int recallRows,
            double keepFraction,
            long checkpointMillis,
            long assignMaxDelayMs,
            String window,
            double beamSlack) {

        public static Options defaults() {
            return new Options(
                    null,
                    null,
                    200_000,
                    List.of(WireFormat.F32),
                    List.of(0, 2),
                    List.of(defaultAssignBatch()),
                    1,
                    4096,
                    0.1,
                    5000,
                    defaultAssignMaxDelayMs(),
                    null,
                    0);
        }

        /** The job's own default (flink-jobs/README.md, {@code assignBatch}). */
        public static int defaultAssignBatch() {
            return Integer.parseInt(CurateSpec.defaultOf("assignBatch"));
        }

        /** The job's own default (flink-jobs/README.md, {@code assignMaxDelayMs}). */
        public static long defaultAssignMaxDelayMs() {
            return Long.parseLong(CurateSpec.defaultOf("assignMaxDelayMs"));
        }

        public Options {
            if (assignMaxDelayMs < 1) {
                throw new StrataException("--assign-max-delay-ms must be >= 1, got " + assignMaxDelayMs);
            }
            if (!(beamSlack >= 0 && beamSlack <= 1)) {
                throw new StrataException("--beam-slack must be in [0, 1], got " + beamSlack);
            }
            if (records < 1 || parallelism < 1 || recallRows < 1 || checkpointMillis < 100) {
                throw new StrataException(
                        "need --records, --parallelism and --recall-rows >= 1 and a checkpoint interval "
                                + ">= 100 ms");
            }
            if (!(keepFraction > 0 && keepFraction <= 1)) {
                throw new StrataException("--keep-fraction must be in (0, 1], got " + keepFraction);
            }
            if (formats.isEmpty() || beams.isEmpty() || beams.stream().anyMatch(b -> b < 0)) {
                throw new StrataException("need at least one format and beams >= 0 (0 = exact)");
            }
            if (assignBatches.isEmpty() || assignBatches.stream().anyMatch(b -> b < 1)) {
                throw new StrataException("need at least one --assign-batch, each >= 1");
            }
        }
    }

    private StreamingBenchmark() {}

    /** With no arguments the defaults; one argument is the model file (see Options.defaults for the rest). */
    public static void main(String[] args) throws Exception {
        Options d = Options.defaults();
        Options o = args.length == 0
                ? d
                : new Options(
                        d.bootstrapServers(),
                        Path.of(args[0]),
                        d.records(),
                        d.formats(),
                        d.beams(),
                        d.assignBatches(),
                        d.parallelism(),
                        d.recallRows(),
                        d.keepFraction(),
                        d.checkpointMillis(),
                        d.assignMaxDelayMs(),
                        d.window(),
                        d.beamSlack());
        run(System.out, o);
    }

    public static void run(PrintStream out, Options o) throws Exception {
        Progress progress = Progress.stderr();
        AssignBenchmark.Options mix = AssignBenchmark.Options.defaults();
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path work = Files.createTempDirectory("strata-streambench-");
        try {
            Path modelPath = o.model() != null ? o.model() : work.resolve("model.strata");
            ClusterTree tree = model(out, modelPath, mix);
            AssignBenchmark.describe(out, tree);

            String bootstrap = o.bootstrapServers();
            if (bootstrap == null) {
                LocalKafka kafka = LocalKafka.defaults();
                out.println(
                        kafka.start()
                                ? "local broker started on " + kafka.bootstrapServers()
                                : "local broker already running on " + kafka.bootstrapServers());
                bootstrap = kafka.bootstrapServers();
            }
            // the rows after the model's training rows: the same concepts, never clustered
            GaussianMixture mixture =
                    new GaussianMixture(mix.rows() + o.records(), mix.dim(), mix.concepts(), mix.zipf(), mix.seed());
            FloatMatrix rows = FloatMatrix.zeros(o.records(), mix.dim());
            mixture.fillRows(mix.rows(), o.records(), rows.data(), 0);
            out.printf(
                    Locale.ROOT,
                    "%d held-out rows of %s; java %s, %d cores, kernel %s, load average %s%n",
                    o.records(),
                    mixture,
                    System.getProperty("java.version"),
                    Runtime.getRuntime().availableProcessors(),
                    Kernels.fastest().name(),
                    loadAverage());

            Breakdown breakdown = new Breakdown();
            List<Recall> recalls = recalls(out, tree, rows, o, breakdown);
            List<String> table = new ArrayList<>();
            try {
                for (WireFormat format : o.formats()) {
                    int head = Math.min(o.recallRows(), rows.rows());
                    FloatMatrix first =
                            new FloatMatrix(Arrays.copyOf(rows.data(), head * rows.dim()), head, rows.dim());
                    double decodeRate =
                            DecodeMeter.recordsPerSecond(tree, first, format, RecordSize.DEFAULT_MAX_RECORD_BYTES);
                    out.printf(
                            Locale.ROOT,
                            "decoding alone (%s, %d records, 1 thread): %,.0f rec/s%n",
                            format.name().toLowerCase(Locale.ROOT),
                            head,
                            decodeRate);
                    breakdown.decodeMicros.put(format, 1e6 / decodeRate);
                    String topic = "streambench-" + stamp + "-" + format.name().toLowerCase(Locale.ROOT);
                    double consumerRate = produceAndConsume(out, bootstrap, topic, format, rows, progress);
                    table.addAll(jobs(
                            out,
                            o,
                            bootstrap,
                            topic,
                            format,
                            consumerRate,
                            modelPath,
                            tree,
                            recalls,
                            work.resolve("checkpoints"),
                            breakdown));
                }
            } finally {
                deleteTopics(bootstrap, "streambench-" + stamp + "-");
            }
            out.printf(
                    Locale.ROOT,
                    "%n%d records, parallelism %d, load average %s%n",
                    o.records(),
                    o.parallelism(),
                    loadAverage());
            out.println(
                    "| format | assign | batch | recall | end-to-end rec/s (window) | whole run rec/s | second half rec/s"
                            + " | consumer rec/s | ratio to consumer | second half to consumer |");
            out.println("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
            table.forEach(out::println);
            out.println();
            out.println(
                    "Where a record's CPU goes (µs per record; decode and assign measured alone on 1 thread, the job"
                            + " as its JVM CPU time over the whole run / records, all its threads):");
            breakdown.lines.forEach(out::println);
        } finally {
            deleteTree(work);
        }
    }

    /** One bounded job per beam on the topic; returns their table rows. */
    private static List<String> jobs(
            PrintStream out,
            Options o,
            String bootstrap,
            String topic,
            WireFormat format,
            double consumerRate,
            Path modelPath,
            ClusterTree tree,
            List<Recall> recalls,
            Path checkpoints,
            Breakdown breakdown)
            throws Exception {
        List<String> rows = new ArrayList<>();
        int run = 0;
        for (Recall r : recalls) {
            for (int batch : o.assignBatches()) {
                // each run gets its own output topic and consumer group: a beam listed twice must re-read the input
                String runId = topic + "-" + (++run) + "-b" + r.beam() + "-n" + batch;
                out.printf(
                        Locale.ROOT,
                        "job %s (%s, batches of %d or %d ms, parallelism %d, keep %.0f%%, checkpoints every %d ms%s)...%n",
                        runId,
                        r.label(),
                        batch,
                        o.assignMaxDelayMs(),
                        o.parallelism(),
                        o.keepFraction() * 100,
                        o.checkpointMillis(),
                        o.window() == null ? "" : ", budgets per " + o.window() + " window in event time");
                StreamJobRun.Result j = StreamJobRun.run(
                        bootstrap,
                        topic,
                        o.records(),
                        modelPath,
                        tree,
                        r.beam(),
                        batch,
                        o.parallelism(),
                        o.keepFraction(),
                        o.checkpointMillis(),
                        o.assignMaxDelayMs(),
                        checkpoints,
                        runId,
                        o.window(),
                        r.slack());
                double windowRate = o.records() / j.windowSeconds();
                out.printf(
                        Locale.ROOT,
                        "  %d curated; whole run %.1f s (first output after %.1f s, job end %.1f s after"
                                + " the last); processing window %.1f s; this JVM used %.2f cores over the run; load %s%n",
                        j.curated(),
                        j.totalSeconds(),
                        j.startSeconds(),
                        j.endSeconds(),
                        j.windowSeconds(),
                        j.cpuCores(),
                        loadAverage());
                out.println(cpuLine(j, o.records()));
                out.printf(
                        Locale.ROOT,
                        "  end to end %,.0f rec/s = %.2fx the plain consumer (%,.0f rec/s); over the input's"
                                + " second half (%.0f%% to %.0f%%, past start-up and most of the JIT's warm-up)"
                                + " %,.0f rec/s = %.2fx%n",
                        windowRate,
                        windowRate / consumerRate,
                        consumerRate,
                        StreamJobRun.LATE_FROM * 100,
                        StreamJobRun.LATE_TO * 100,
                        j.lateRate(),
                        j.lateRate() / consumerRate);
                rows.add(String.format(
                        Locale.ROOT,
                        "| %s | %s | %d | %.4f | %,.0f | %,.0f | %,.0f | %,.0f | %.2f | %.2f |",
                        format.name().toLowerCase(Locale.ROOT),
                        r.label(),
                        batch,
                        r.recall(),
                        windowRate,
                        o.records() / j.totalSeconds(),
                        j.lateRate(),
                        consumerRate,
                        windowRate / consumerRate,
                        j.lateRate() / consumerRate));
                double jobMicros = j.cpuCores() * j.totalSeconds() / o.records() * 1e6;
                Double assign = breakdown.assignMicros.get(r.beam() + "/" + batch);
                breakdown.lines.add(String.format(
                        Locale.ROOT,
                        "- %s, %s, batches of %d: job %.0f µs/record (%.2f cores x %.1f s"
                                + " / %d); decode alone %.1f; assign alone %s; the rest (source, shuffle, quotas, sinks,"
                                + " checkpoints, the run's startup) %s",
                        format.name().toLowerCase(Locale.ROOT),
                        r.label(),
                        batch,
                        jobMicros,
                        j.cpuCores(),
                        j.totalSeconds(),
                        o.records(),
                        breakdown.decodeMicros.get(format),
                        assign == null ? "not measured" : String.format(Locale.ROOT, "%.1f", assign),
                        assign == null
                                ? "?"
                                : String.format(
                                        Locale.ROOT, "%.0f", jobMicros - breakdown.decodeMicros.get(format) - assign)));
            }
        }
        return rows;
    }

    /**
     * Where the run's CPU went, in µs per record over the whole run: the busiest thread groups of
     * this JVM (Flink's tasks, the Kafka clients), its time outside Java threads (GC, JIT) and the
     * machine's time outside this JVM (the local broker, other processes).
     */
    static String cpuLine(StreamJobRun.Result j, long records) {
        StringBuilder b = new StringBuilder("  CPU per record over the run (µs):");
        int shown = 0;
        long rest = 0;
        for (Map.Entry<String, Long> e : j.cpu().byGroup().entrySet()) {
            if (shown++ < 6) {
                b.append(String.format(Locale.ROOT, " %s %.1f;", e.getKey(), e.getValue() / 1e3 / records));
            } else {
                rest += e.getValue();
            }
        }
        b.append(String.format(Locale.ROOT, " other threads %.1f;", rest / 1e3 / records));
        b.append(String.format(
                Locale.ROOT,
                " JVM outside its threads %.1f (GC collections %.1f s, JIT compilation %.1f s over the run)",
                j.cpu().jvmOtherNanos() / 1e3 / records,
                j.cpu().gcMillis() / 1e3,
                j.cpu().jitMillis() / 1e3));
        if (j.cpu().machineBusyNanos() >= 0) {
            b.append(String.format(
                    Locale.ROOT,
                    "; outside this JVM (broker, other processes) %.1f; machine busy %.2f cores",
                    j.cpu().machineOtherNanos() / 1e3 / records,
                    j.cpu().machineBusyNanos() / 1e9 / j.totalSeconds()));
        }
        return b.toString();
    }

    /** The per-record costs measured alone, and the breakdown lines printed after the table. */
    private static final class Breakdown {
        final Map<WireFormat, Double> decodeMicros = new HashMap<>();
        /** Keyed "beam/batch". */
        final Map<String, Double> assignMicros = new HashMap<>();

        final List<String> lines = new ArrayList<>();
    }

    private static ClusterTree model(PrintStream out, Path path, AssignBenchmark.Options mix) {
        if (Files.exists(path)) {
            ClusterTree tree = ModelFile.read(path);
            out.printf(Locale.ROOT, "model %s (version %s)%n", path, tree.version());
            if (tree.dim() != mix.dim()) {
                throw new StrataException("model has dim " + tree.dim() + ", the benchmark mixture " + mix.dim()
                        + "; give a model built by AssignBenchmark (or none, to build one)");
            }
            return tree;
        }
        GaussianMixture training = new GaussianMixture(mix.rows(), mix.dim(), mix.concepts(), mix.zipf(), mix.seed());
        ClusterTree tree = ModelFile.write(AssignBenchmark.build(out, training, mix, Kernels.fastest()), path);
        out.printf(Locale.ROOT, "model saved to %s (version %s)%n", path, tree.version());
        return tree;
    }

    /** One beam's recall, measured before any job runs so the two never share the cores. */
    private record Recall(int beam, double slack, double recall) {
        String label() {
            return beam == 0 ? "exact" : "beam " + beam + (slack > 0 ? ", slack " + slack : "");
        }
    }

    /** Recall and the single-thread assignment rates, per batch size, with the kernels the job uses. */
    private static List<Recall> recalls(
            PrintStream out, ClusterTree tree, FloatMatrix rows, Options o, Breakdown breakdown) {
        int n = Math.min(o.recallRows(), rows.rows());
        FloatMatrix head = new FloatMatrix(Arrays.copyOf(rows.data(), n * rows.dim()), n, rows.dim());
        Map<Integer, Double> recall = new HashMap<>();
        recall.put(0, 1.0);
        for (int batch : new TreeSet<>(o.assignBatches())) {
            RecallMeter meter = new RecallMeter(tree, head, batch, Kernels.fastest(), Kernels.forDescent());
            out.printf(
                    Locale.ROOT,
                    "assignment alone, %d rows, batches of %d, 1 thread: exact %,.0f rows/s (%s)%n",
                    n,
                    batch,
                    meter.exactRowsPerSecond(),
                    Kernels.fastest().name());
            breakdown.assignMicros.put("0/" + batch, 1e6 / meter.exactRowsPerSecond());
            for (int beam : new TreeSet<>(o.beams())) {
                if (beam > 0) {
                    RecallMeter.Result r = meter.measure(beam, o.beamSlack());
                    out.printf(
                            Locale.ROOT,
                            "  beam %d%s: %,.0f rows/s (%s), recall %.4f, %.0f centroids/row%n",
                            beam,
                            o.beamSlack() > 0 ? ", slack " + o.beamSlack() : "",
                            r.beamRowsPerSecond(),
                            Kernels.forDescent().name(),
                            r.recall(),
                            r.centroidsPerRow());
                    recall.put(beam, r.recall());
                    breakdown.assignMicros.put(beam + "/" + batch, 1e6 / r.beamRowsPerSecond());
                }
            }
        }
        List<Recall> measured = new ArrayList<>();
        for (int beam : o.beams()) {
            measured.add(new Recall(beam, beam > 0 ? o.beamSlack() : 0, recall.get(beam)));
        }
        return measured;
    }

    /** Produces the rows once into a fresh topic, then reads them back with a plain consumer; returns its rate. */
    private static final int CONSUMER_PASSES = 2;

    private static double produceAndConsume(
            PrintStream out, String bootstrap, String topic, WireFormat format, FloatMatrix rows, Progress progress) {
        KafkaTopics.createTopics(bootstrap, List.of(new NewTopic(topic, 4, (short) 1)));
        EmbeddingPublisher.Summary sent;
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(EmbeddingPublisher.producerConfig(bootstrap))) {
            sent = new EmbeddingPublisher(producer, topic, format, 0, progress).publish(rows, null);
        }
        out.printf(
                Locale.ROOT,
                "%s: produced %d records (%.0f MB) in %.1f s: %,.0f rec/s%n",
                topic,
                sent.records(),
                sent.bytes() / 1e6,
                sent.seconds(),
                sent.recordsPerSecond());
        // twice, and the faster counts: the jobs are compared warm, so the consumer is too
        double best = 0;
        for (int pass = 1; pass <= CONSUMER_PASSES; pass++) {
            TopicScan.Result read = TopicScan.read(bootstrap, topic, 4);
            out.printf(
                    Locale.ROOT,
                    "  plain consumer (1 thread, read_committed), pass %d: %d records in %.2f s: %,.0f rec/s, %.0f MB/s%n",
                    pass,
                    read.records(),
                    read.seconds(),
                    read.recordsPerSecond(),
                    read.bytes() / 1e6 / read.seconds());
            best = Math.max(best, read.recordsPerSecond());
        }
        return best;
    }

    /** The records are hundreds of MB per format and run; a shared broker should not keep them. */
    private static void deleteTopics(String bootstrap, String prefix) throws Exception {
        try (Admin admin = KafkaTopics.admin(bootstrap)) {
            List<String> ours = admin.listTopics().names().get().stream()
                    .filter(t -> t.startsWith(prefix))
                    .toList();
            admin.deleteTopics(ours).all().get();
        }
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean up " + dir, e);
        }
    }
}
