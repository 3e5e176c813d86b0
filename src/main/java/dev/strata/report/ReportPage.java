package dev.strata.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * The balance report as one self-contained HTML page: inline CSS and SVG, no script, no font,
 * image or stylesheet fetched, so it opens offline, in a mail attachment or a CI artefact viewer.
 */
public final class ReportPage {
    private static final String CSS = String.join(
            "\n",
            "body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1d2733;margin:24px auto;max-width:940px;padding:0 16px}",
            "h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 6px}p.note{color:#56606b;margin:4px 0 10px}",
            "table{border-collapse:collapse;margin:10px 0}td,th{border-bottom:1px solid #e3e7eb;padding:4px 14px 4px 0;text-align:left}",
            "td.num{text-align:right;font-variant-numeric:tabular-nums}",
            "svg{display:block;max-width:100%;height:auto}.grid{stroke:#e3e7eb;stroke-width:1}",
            ".tick,.legend,.label{font-size:11px;fill:#3b4652}.axis{font-size:12px;fill:#3b4652}.label{font-size:9px}");

    private ReportPage() {}

    public static String render(BalanceReport r) {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
                .append(Svg.esc(r.title()))
                .append("</title>\n<style>\n")
                .append(CSS)
                .append("\n</style>\n</head>\n<body>\n");
        h.append("<h1>")
                .append(Svg.esc(r.title()))
                .append("</h1>\n<p class=\"note\">model ")
                .append(Svg.esc(r.model()))
                .append(", ")
                .append(r.levelSizes().size())
                .append(" levels</p>\n");
        h.append(summary(r));
        h.append("<h2>Cluster sizes per level</h2>\n<p class=\"note\">Every cluster of every level by rank, log-log. "
                + "A steep line is a long tail: a few huge clusters and many small ones.</p>\n");
        h.append(SizeDistributionChart.svg(r.levelSizes()));
        h.append("<h2>Top clusters' shares ")
                .append(r.after() == null ? "" : "before and after selection")
                .append("</h2>\n")
                .append("<p class=\"note\">")
                .append(
                        r.after() == null
                                ? "Rows per top cluster. Pass --input and --selection to compare with a selection."
                                : "Balanced sampling cuts the large clusters down and keeps the small ones whole: the bars of "
                                        + Svg.esc(r.afterLabel()) + " line up on the equal share.")
                .append("</p>\n");
        h.append(ShareChart.svg(r.before(), r.after(), r.beforeLabel(), r.afterLabel() == null ? "" : r.afterLabel()));
        h.append("<h2>Map of the top clusters</h2>\n<p class=\"note\">Top centroids on their first two principal "
                + "components; disc area follows the cluster's pool size.</p>\n");
        h.append(CentroidMap.svg(r.topMap(), r.levelSizes().get(r.levelSizes().size() - 1)));
        h.append("<p class=\"note\">Written by <code>strata report</code>. Normalised entropy is 1.000 when every top "
                + "cluster holds the same number of rows.</p>\n</body>\n</html>\n");
        return h.toString();
    }

    private static String summary(BalanceReport r) {
        StringBuilder t =
                new StringBuilder("<table id=\"summary\">\n<tr><th></th><th>rows</th><th>top clusters with rows</th>"
                        + "<th>normalised entropy over top clusters</th></tr>\n");
        row(t, r.beforeLabel(), r.before(), r.entropyBefore(), r);
        if (r.after() != null) {
            row(t, r.afterLabel(), r.after(), r.entropyAfter(), r);
        }
        return t.append("</table>\n").toString();
    }

    private static void row(StringBuilder t, String label, long[] counts, double entropy, BalanceReport r) {
        int nonEmpty = 0;
        for (long c : counts) {
            nonEmpty += c > 0 ? 1 : 0;
        }
        t.append("<tr><td>")
                .append(Svg.esc(label))
                .append("</td><td class=\"num\">")
                .append(r.total(counts))
                .append("</td><td class=\"num\">")
                .append(nonEmpty)
                .append(" of ")
                .append(counts.length)
                .append("</td><td class=\"num\">")
                .append(String.format(Locale.ROOT, "%.3f", entropy))
                .append("</td></tr>\n");
    }

    /** Writes the page atomically (to NAME.tmp, then renamed), so a reader never sees half a page. */
    public static void write(BalanceReport r, Path out) throws IOException {
        Path abs = out.toAbsolutePath();
        if (abs.getParent() != null) {
            Files.createDirectories(abs.getParent());
        }
        Path tmp = abs.resolveSibling(abs.getFileName() + ".tmp");
        Files.writeString(tmp, render(r), StandardCharsets.UTF_8);
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
