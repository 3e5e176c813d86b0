package dev.strata.report;

import java.util.Arrays;

/**
 * Each top cluster's share of the rows before and after selection, side by side, largest pool
 * share first, with the equal share 1/k as a dashed line: balance is the "after" bars lining up
 * on it. Without a selection only the "before" bars are drawn.
 */
final class ShareChart {
    static final int WIDTH = 900;
    static final int HEIGHT = 320;
    /** More top clusters than this are summed up in the caption, not drawn: bars would be hairlines. */
    static final int MAX_BARS = 100;

    private static final int LEFT = 56;
    private static final int RIGHT = 16;
    private static final int TOP = 28;
    private static final int BOTTOM = 40;

    private ShareChart() {}

    /** Indices of the top clusters in drawing order: largest "before" first, ties by index. */
    static Integer[] order(long[] before) {
        Integer[] idx = new Integer[before.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (a, b) -> before[a] != before[b] ? Long.compare(before[b], before[a]) : Integer.compare(a, b));
        return idx;
    }

    static String svg(long[] before, long[] after, String beforeLabel, String afterLabel) {
        int k = before.length;
        double[] b = shares(before);
        double[] a = after == null ? null : shares(after);
        Integer[] idx = order(before);
        int bars = Math.min(k, MAX_BARS);
        double max = 1.0 / k;
        for (int i = 0; i < bars; i++) {
            max = Math.max(max, b[idx[i]]);
            if (a != null) {
                max = Math.max(max, a[idx[i]]);
            }
        }
        max = Math.ceil(max * 20) / 20; // a round top: 5 % steps
        double plotW = WIDTH - LEFT - RIGHT;
        double plotH = HEIGHT - TOP - BOTTOM;
        double slot = plotW / bars;
        double barW = Math.max(1, (a == null ? 0.8 : 0.42) * slot);
        StringBuilder s = new StringBuilder();
        s.append("<svg id=\"top-shares\" xmlns=\"http://www.w3.org/2000/svg\" width=\"")
                .append(WIDTH)
                .append("\" height=\"")
                .append(HEIGHT)
                .append("\" viewBox=\"0 0 ")
                .append(WIDTH)
                .append(' ')
                .append(HEIGHT)
                .append("\" role=\"img\" aria-label=\"share of each top cluster before and after selection\">\n");
        for (int step = 0; step <= 4; step++) {
            double v = max * step / 4;
            double y = TOP + plotH - plotH * v / max;
            s.append("<line class=\"grid\" x1=\"")
                    .append(LEFT)
                    .append("\" y1=\"")
                    .append(Svg.num(y))
                    .append("\" x2=\"")
                    .append(Svg.num(LEFT + plotW))
                    .append("\" y2=\"")
                    .append(Svg.num(y))
                    .append("\"/><text class=\"tick\" x=\"")
                    .append(LEFT - 6)
                    .append("\" y=\"")
                    .append(Svg.num(y + 4))
                    .append("\" text-anchor=\"end\">")
                    .append(Svg.pct(v))
                    .append("</text>\n");
        }
        for (int i = 0; i < bars; i++) {
            int c = idx[i];
            double x = LEFT + slot * i + (slot - (a == null ? barW : 2 * barW)) / 2;
            bar(s, "share-before", Svg.BEFORE, c, x, barW, b[c], before[c], max, plotH, beforeLabel);
            if (a != null) {
                bar(s, "share-after", Svg.AFTER, c, x + barW, barW, a[c], after[c], max, plotH, afterLabel);
            }
        }
        double equal = TOP + plotH - plotH * (1.0 / k) / max;
        s.append("<line id=\"equal-share\" x1=\"")
                .append(LEFT)
                .append("\" y1=\"")
                .append(Svg.num(equal))
                .append("\" x2=\"")
                .append(Svg.num(LEFT + plotW))
                .append("\" y2=\"")
                .append(Svg.num(equal))
                .append("\" stroke=\"#c0392b\" stroke-dasharray=\"6 4\" stroke-width=\"1.5\"/>\n");
        s.append("<text class=\"axis\" x=\"")
                .append(Svg.num(LEFT + plotW / 2))
                .append("\" y=\"")
                .append(HEIGHT - 8)
                .append("\" text-anchor=\"middle\">top clusters, largest ")
                .append(Svg.esc(beforeLabel))
                .append(" share first")
                .append(k > bars ? " (the largest " + bars + " of " + k + ")" : "")
                .append("</text>\n");
        legend(s, LEFT, Svg.BEFORE, beforeLabel);
        if (a != null) {
            legend(s, LEFT + 220, Svg.AFTER, afterLabel);
        }
        s.append("<line x1=\"")
                .append(LEFT + 440)
                .append("\" y1=\"12\" x2=\"")
                .append(LEFT + 470)
                .append(
                        "\" y2=\"12\" stroke=\"#c0392b\" stroke-dasharray=\"6 4\" stroke-width=\"1.5\"/><text class=\"legend\" x=\"")
                .append(LEFT + 476)
                .append("\" y=\"16\">equal share 1/")
                .append(k)
                .append("</text>\n");
        return s.append("</svg>\n").toString();
    }

    private static void bar(
            StringBuilder s,
            String cls,
            String color,
            int cluster,
            double x,
            double w,
            double share,
            long count,
            double max,
            double plotH,
            String label) {
        double h = plotH * share / max;
        s.append("<rect class=\"")
                .append(cls)
                .append("\" data-cluster=\"")
                .append(cluster)
                .append("\" x=\"")
                .append(Svg.num(x))
                .append("\" y=\"")
                .append(Svg.num(TOP + plotH - h))
                .append("\" width=\"")
                .append(Svg.num(w))
                .append("\" height=\"")
                .append(Svg.num(h))
                .append("\" fill=\"")
                .append(color)
                .append("\"><title>top cluster ")
                .append(cluster)
                .append(", ")
                .append(Svg.esc(label))
                .append(": ")
                .append(count)
                .append(" rows (")
                .append(Svg.pct(share))
                .append(")</title></rect>\n");
    }

    private static void legend(StringBuilder s, int x, String color, String label) {
        s.append("<rect x=\"")
                .append(x)
                .append("\" y=\"5\" width=\"14\" height=\"14\" fill=\"")
                .append(color)
                .append("\"/><text class=\"legend\" x=\"")
                .append(x + 20)
                .append("\" y=\"16\">")
                .append(Svg.esc(label))
                .append("</text>\n");
    }

    static double[] shares(long[] counts) {
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        double[] out = new double[counts.length];
        for (int i = 0; i < counts.length; i++) {
            out[i] = total == 0 ? 0 : (double) counts[i] / total;
        }
        return out;
    }
}
