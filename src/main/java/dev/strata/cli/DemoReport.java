package dev.strata.cli;

import dev.strata.kafka.KafkaConnection;
import dev.strata.kafka.TopicExporter;
import dev.strata.model.ClusterTree;
import dev.strata.model.LevelStats;
import dev.strata.progress.Progress;
import dev.strata.records.CuratedRecord;
import dev.strata.report.BalanceReport;
import dev.strata.report.ReportPage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/** The demo's ending: wait for the job to catch up, read what it committed, show the balance. */
final class DemoReport {
    private final ClusterTree tree;
    private final int[] labels;
    private final int concepts;

    DemoReport(ClusterTree tree, int[] labels, int concepts) {
        this.tree = tree;
        this.labels = labels;
        this.concepts = concepts;
    }

    /** Committed curated records; read twice until stable, as the sink commits just after the offsets. */
    static List<CuratedRecord> readCurated(String bootstrap, String topic) throws InterruptedException {
        List<CuratedRecord> last = null;
        for (int attempt = 0; attempt < 10; attempt++) {
            List<CuratedRecord> now = readOnce(bootstrap, topic);
            if (last != null && last.size() == now.size()) {
                return now;
            }
            last = now;
            Thread.sleep(2500);
        }
        return last;
    }

    private static List<CuratedRecord> readOnce(String bootstrap, String topic) {
        List<CuratedRecord> out = new ArrayList<>();
        TopicExporter.readCommitted(
                KafkaConnection.plain(bootstrap),
                topic,
                r -> {
                    if (r.value() != null) {
                        out.add(CuratedRecord.fromJson(r.value()));
                    }
                },
                Progress.silent());
        return out;
    }

    void print(PrintWriter o, List<CuratedRecord> curated) {
        int tops = tree.top().clusters();
        long[] poolTop = tree.top().size();
        long[] keptTop = new long[tops];
        long[] poolConcept = new long[concepts];
        long[] keptConcept = new long[concepts];
        for (int l : labels) {
            poolConcept[l]++;
        }
        for (CuratedRecord r : curated) {
            keptTop[r.topCluster()]++;
            keptConcept[labels[Integer.parseInt(r.id())]]++;
        }
        o.printf(Locale.ROOT, "  curated %d of %d items%n", curated.size(), labels.length);
        o.println("  per top-level cluster (largest and smallest by pool size):");
        o.println("    cluster      pool   curated");
        Integer[] order = IntStream.range(0, tops).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingLong((Integer t) -> -poolTop[t]));
        for (int i = 0; i < order.length; i++) {
            if (i < 6 || i >= order.length - 3) {
                int t = order[i];
                o.printf(Locale.ROOT, "    %7d %9d %9d%n", t, poolTop[t], keptTop[t]);
            } else if (i == 6) {
                o.println("        ...");
            }
        }
        o.printf(
                Locale.ROOT,
                "  balance over %d top clusters (normalised entropy, 1 = even): before %.3f, after %.3f%n",
                tops,
                LevelStats.normalizedEntropy(poolTop),
                LevelStats.normalizedEntropy(keptTop));
        o.printf(
                Locale.ROOT,
                "  balance over %d true concepts: before %.3f, after %.3f; largest/smallest concept %s -> %s%n",
                concepts,
                LevelStats.normalizedEntropy(poolConcept),
                LevelStats.normalizedEntropy(keptConcept),
                ratio(poolConcept),
                ratio(keptConcept));
    }

    /** The same balance as a page (strata report): the pool against what the job curated. */
    Path writePage(List<CuratedRecord> curated, Path out) throws IOException {
        long[] keptTop = new long[tree.top().clusters()];
        for (CuratedRecord r : curated) {
            keptTop[r.topCluster()]++;
        }
        ReportPage.write(BalanceReport.of(tree, "demo model", null, null, keptTop, "curated by the job"), out);
        return out;
    }

    private static String ratio(long[] counts) {
        long[] r = LevelStats.nonEmptyRange(counts);
        return r == null ? "n/a" : String.format(Locale.ROOT, "%d:%d", r[1], r[0]);
    }
}
