package dev.strata.kafka;

import dev.strata.StrataException;
import dev.strata.progress.Progress;
import dev.strata.records.CuratedRecord;
import dev.strata.records.DeadLetter;
import dev.strata.records.ExportText;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Writes what a topic holds to a text file, one line per item, reading from the beginning to
 * the end offsets present at the start and only committed records (read_committed), so the file
 * is what an exactly-once job has really published; a transaction committed just before the
 * start is included ({@link #committedEnd}):
 * <ul>
 *   <li>PLAIN: every key, in log order per partition (duplicates kept: they would be a bug);</li>
 *   <li>CHANGELOG: the live keys once tombstones (null values) are applied, order of last upsert;</li>
 *   <li>DEAD_LETTERS: {@code key<TAB>reason<TAB>detail} from the strata.dlq.* headers.</li>
 * </ul>
 * AUTO picks DEAD_LETTERS when the first record has a strata.dlq.reason header, CHANGELOG when
 * the topic is compacted or holds a tombstone, PLAIN otherwise. Keys and header texts are
 * written with {@link ExportText} escapes, so a tab or newline in an id cannot break a line.
 * <p>
 * With cluster columns (curated topics only) each id is followed by its leaf, top cluster and
 * distance from the curated record, tab-separated under a header line {@link #CLUSTER_HEADER}, so
 * pandas.read_csv(sep="\t") or numpy.genfromtxt read the file as it is. A record that is not a
 * curated record gets empty columns and is counted in {@code unparsed}.
 */
public final class TopicExporter {
    private static final Duration STALL_LIMIT = Duration.ofSeconds(60);
    /** How long the start waits for the markers of transactions that have just ended. */
    static final Duration MARKER_WAIT = Duration.ofSeconds(10);

    public enum Mode {
        AUTO,
        PLAIN,
        CHANGELOG,
        DEAD_LETTERS
    }

    /** The header line of an export with cluster columns. */
    public static final String CLUSTER_HEADER = "id\tleaf\ttop\tdistance";

    /**
     * What was exported; {@code mode} is the one AUTO settled on; {@code linesWritten} counts
     * items, not the header; {@code unparsed} counts records given empty cluster columns.
     */
    public record Result(Mode mode, long recordsRead, long linesWritten, long tombstones, long unparsed) {}

    /** What a read does with each committed record. */
    @FunctionalInterface
    public interface RecordHandler {
        void accept(ConsumerRecord<byte[], byte[]> record) throws IOException;
    }

    private TopicExporter() {}

    /**
     * Hands every committed record of a topic to {@code handler}, from the beginning to the end
     * offsets present at the start (the loop of every export, for readers that want the records
     * themselves); returns how many were read.
     */
    public static long readCommitted(KafkaConnection kafka, String topic, RecordHandler handler, Progress progress) {
        List<TopicPartition> partitions = new ArrayList<>();
        Admin admin = KafkaTopics.admin(kafka);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig(kafka))) {
            KafkaTopics.describe(admin, kafka.toString(), topic)
                    .partitions()
                    .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            Map<TopicPartition, Long> end = committedEnd(admin, consumer, partitions);
            return drain(consumer, partitions, end, handler, progress);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + topic, e);
        } finally {
            KafkaTopics.close(admin);
        }
    }

    public static Result export(String bootstrapServers, String topic, Path out, Mode mode, Progress progress) {
        return export(KafkaConnection.plain(bootstrapServers), topic, out, mode, false, progress);
    }

    public static Result export(KafkaConnection kafka, String topic, Path out, Mode mode, Progress progress) {
        return export(kafka, topic, out, mode, false, progress);
    }

    /** As above; {@code clusterColumns} adds leaf, top cluster and distance after each id. */
    public static Result export(
            KafkaConnection kafka, String topic, Path out, Mode mode, boolean clusterColumns, Progress progress) {
        String bootstrapServers = kafka.toString();
        List<TopicPartition> partitions = new ArrayList<>();
        Admin admin = KafkaTopics.admin(kafka);
        Path dir = out.toAbsolutePath().getParent();
        try {
            KafkaTopics.describe(admin, bootstrapServers, topic)
                    .partitions()
                    .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            boolean compacted = mode == Mode.AUTO && KafkaTopics.isCompacted(admin, bootstrapServers, topic);
            Mode start = mode == Mode.AUTO && compacted ? Mode.CHANGELOG : mode;
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".export-", ".tmp");
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig(kafka))) {
                Sink sink = new Sink(start, tmp, clusterColumns, topic);
                Map<TopicPartition, Long> end = committedEnd(admin, consumer, partitions);
                long read = drain(consumer, partitions, end, sink::accept, progress);
                long lines = sink.finish();
                Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                return new Result(
                        sink.mode == Mode.AUTO ? Mode.PLAIN : sink.mode, read, lines, sink.tombstones, sink.unparsed);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out, e);
        } finally {
            KafkaTopics.close(admin);
        }
    }

    /**
     * Where the export stops: the read_committed end offsets (last stable offsets), taken once
     * the markers of transactions that have just committed or aborted are written
     * ({@link TransactionMarkers}), so a transaction committed before the export started is read
     * whole. Waits at most {@link #MARKER_WAIT}.
     */
    static Map<TopicPartition, Long> committedEnd(
            Admin admin, KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions) {
        try {
            TransactionMarkers.awaitWritten(admin, partitions, MARKER_WAIT);
            return consumer.endOffsets(partitions);
        } catch (TimeoutException e) {
            throw new StrataException("the broker did not give the offsets of "
                    + (partitions.isEmpty() ? "the topic" : partitions.get(0).topic())
                    + " in time; is it up? (`strata kafka status`)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StrataException("interrupted while reading the offsets of the topic");
        }
    }

    public static Properties consumerConfig(String bootstrapServers) {
        return consumerConfig(KafkaConnection.plain(bootstrapServers));
    }

    /** A read_committed byte consumer on top of the connection's client properties. */
    public static Properties consumerConfig(KafkaConnection kafka) {
        Properties p = kafka.clientProperties();
        p.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "strata-export");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return p;
    }

    private static long drain(
            KafkaConsumer<byte[], byte[]> consumer,
            List<TopicPartition> partitions,
            Map<TopicPartition, Long> end,
            RecordHandler handler,
            Progress progress)
            throws IOException {
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        // end: last stable offsets (read_committed), so a transaction still open is not waited for
        Map<TopicPartition, Long> begin;
        try {
            begin = consumer.beginningOffsets(partitions);
        } catch (TimeoutException e) {
            throw new StrataException("the broker did not give the offsets of "
                    + partitions.get(0).topic() + " in time; is it up? (`strata kafka status`)");
        }
        long total = 0;
        Set<TopicPartition> remaining = new HashSet<>();
        for (TopicPartition tp : partitions) {
            total += end.get(tp) - begin.get(tp);
            if (end.get(tp) > begin.get(tp)) {
                remaining.add(tp);
            }
        }
        progress.start(
                "export " + (partitions.isEmpty() ? "" : partitions.get(0).topic()), total, "records");
        long read = 0;
        long lastProgress = System.nanoTime();
        while (!remaining.isEmpty()) {
            ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofMillis(500));
            long n = 0;
            for (ConsumerRecord<byte[], byte[]> r : batch) {
                TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                if (r.offset() >= end.get(tp)) {
                    continue; // arrived after the export started
                }
                handler.accept(r);
                n++;
            }
            read += n;
            progress.advance(n);
            List<TopicPartition> done = new ArrayList<>();
            for (TopicPartition tp : remaining) {
                if (consumer.position(tp) >= end.get(tp)) {
                    done.add(tp);
                }
            }
            if (!done.isEmpty()) {
                done.forEach(remaining::remove);
                consumer.pause(done);
                lastProgress = System.nanoTime();
            }
            if (n > 0) {
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > STALL_LIMIT.toNanos()) {
                throw new StrataException("export of " + remaining + " made no progress for " + STALL_LIMIT.toSeconds()
                        + " s; is the broker up? (`strata kafka status`)");
            }
        }
        progress.finish();
        return read;
    }

    /** Turns records into lines according to the mode, switching PLAIN to CHANGELOG at the first tombstone. */
    private static final class Sink {
        private Mode mode;
        private final Path tmp;
        private final boolean columns;
        private final String topic;
        private BufferedWriter writer;
        /** Live keys (escaped) with their cluster columns ("" without columns), in order of last upsert. */
        private final LinkedHashMap<String, String> live = new LinkedHashMap<>();

        private long lines;
        private long tombstones;
        private long unparsed;
        private boolean first = true;

        Sink(Mode mode, Path tmp, boolean columns, String topic) throws IOException {
            this.mode = mode;
            this.tmp = tmp;
            this.columns = columns;
            this.topic = topic;
            open();
        }

        private void open() throws IOException {
            writer = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8);
            if (columns) {
                writer.write(CLUSTER_HEADER);
                writer.write('\n');
            }
        }

        void accept(ConsumerRecord<byte[], byte[]> r) throws IOException {
            if (first) {
                first = false;
                if (mode == Mode.AUTO && r.headers().lastHeader(DeadLetter.REASON_HEADER) != null) {
                    mode = Mode.DEAD_LETTERS;
                }
                if (mode == Mode.DEAD_LETTERS && columns) {
                    throw new StrataException(topic + " holds dead letters, which have no clusters; export it without "
                            + "--with-clusters");
                }
            }
            String key = r.key() == null ? "" : ExportText.escape(r.key());
            switch (mode) {
                case DEAD_LETTERS ->
                    line(key + '\t' + header(r, DeadLetter.REASON_HEADER) + '\t' + header(r, DeadLetter.DETAIL_HEADER));
                case CHANGELOG -> upsert(key, r.value() == null ? null : columns(r.value()));
                default -> {
                    if (r.value() == null) {
                        if (mode == Mode.PLAIN) {
                            line(key + emptyColumns()); // forced plain: a tombstone is still a record with a key
                            return;
                        }
                        switchToChangelog();
                        upsert(key, null);
                    } else {
                        line(key + columns(r.value()));
                    }
                }
            }
        }

        /** "\tleaf\ttop\tdistance" of a curated record, or "" without columns. */
        private String columns(byte[] value) {
            if (!columns) {
                return "";
            }
            try {
                CuratedRecord c = CuratedRecord.fromJson(value);
                return "\t" + c.leaf() + "\t" + c.topCluster() + "\t" + c.distance();
            } catch (RuntimeException notCurated) {
                unparsed++;
                return emptyColumns();
            }
        }

        private String emptyColumns() {
            return columns ? "\t\t\t" : "";
        }

        /** Records an upsert ({@code cols} non-null) or a tombstone ({@code cols} null) of {@code key}. */
        private void upsert(String key, String cols) {
            if (cols == null) {
                tombstones++;
                live.remove(key);
            } else {
                live.remove(key); // so the order is that of the last upsert
                live.put(key, cols);
            }
        }

        /** Replays the lines written so far into the live set: the same state as reading in changelog mode. */
        private void switchToChangelog() throws IOException {
            writer.close();
            try (var written = Files.lines(tmp, StandardCharsets.UTF_8)) {
                // escaped keys hold no tab, so the first tab (if any) starts the cluster columns
                written.skip(columns ? 1 : 0).forEach(l -> {
                    int tab = l.indexOf('\t');
                    upsert(tab < 0 ? l : l.substring(0, tab), tab < 0 ? "" : l.substring(tab));
                });
            }
            open();
            lines = 0;
            mode = Mode.CHANGELOG;
        }

        private void line(String s) throws IOException {
            writer.write(s);
            writer.write('\n');
            lines++;
        }

        long finish() throws IOException {
            if (mode == Mode.CHANGELOG) {
                for (Map.Entry<String, String> e : live.entrySet()) {
                    line(e.getKey() + e.getValue());
                }
            }
            writer.close();
            return lines;
        }

        private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
            var h = r.headers().lastHeader(name);
            if (h == null || h.value() == null) {
                return "";
            }
            return ExportText.escape(h.value());
        }
    }
}
