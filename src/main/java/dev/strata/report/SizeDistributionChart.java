package dev.strata.report;

import java.util.Arrays;
import java.util.List;

/**
 * Cluster sizes of every level as a rank-size curve on log-log axes: the largest cluster at rank
 * 1, then down. A long-tailed level is a straight falling line; a balanced one is flat. One
 * polyline per level (empty clusters have no logarithm and are left out, and said so).
 */
final class SizeDistributionChart {
    static final int WIDTH = 900;
    static final int HEIGHT = 340;
    private static final int LEFT = 64;
    private static final int RIGHT = 150;
    private static final int TOP = 16;
    private static final int BOTTOM = 44;
    /** Past this many clusters a level's curve keeps log-spaced ranks only: the eye sees no more. */
    private static final int MAX_POINTS = 1500;

    private SizeDistributionChart() {}

    /** {@code levels.get(0)} holds the sizes of level 1 (leaves). */
    static String svg(List<long[]> levels) {
        int maxRank = 1;
        long maxSize = 1;
        for (long[] sizes : levels) {
            maxRank = Math.max(maxRank, sizes.length);
            for (long s : sizes) {
                maxSize = Math.max(maxSize, s);
            }
        }
        double xMax = Math.max(1, Math.ceil(Math.log10(maxRank)));
        double yMax = Math.max(1, Math.ceil(Math.log10(maxSize)));
        double plotW = WIDTH - LEFT - RIGHT;
        double plotH = HEIGHT - TOP - BOTTOM;
        StringBuilder s = new StringBuilder();
        s.append("<svg id=\"size-distribution\" xmlns=\"http://www.w3.org/2000/svg\" width=\"")
                .append(WIDTH)
                .append("\" height=\"")
                .append(HEIGHT)
                .append("\" viewBox=\"0 0 ")
                .append(WIDTH)
                .append(' ')
                .append(HEIGHT)
                .append("\" role=\"img\" aria-label=\"cluster size by rank, log-log, one curve per level\">\n");
        for (int e = 0; e <= xMax; e++) {
            double x = LEFT + plotW * e / xMax;
            s.append("<line class=\"grid\" x1=\"")
                    .append(Svg.num(x))
                    .append("\" y1=\"")
                    .append(TOP)
                    .append("\" x2=\"")
                    .append(Svg.num(x))
                    .append("\" y2=\"")
                    .append(TOP + plotH)
                    .append("\"/>")
                    .append("<text class=\"tick\" x=\"")
                    .append(Svg.num(x))
                    .append("\" y=\"")
                    .append(Svg.num(TOP + plotH + 16))
                    .append("\" text-anchor=\"middle\">")
                    .append(Svg.compact(Math.pow(10, e)))
                    .append("</text>\n");
        }
        for (int e = 0; e <= yMax; e++) {
            double y = TOP + plotH - plotH * e / yMax;
            s.append("<line class=\"grid\" x1=\"")
                    .append(LEFT)
                    .append("\" y1=\"")
                    .append(Svg.num(y))
                    .append("\" x2=\"")
                    .append(Svg.num(LEFT + plotW))
                    .append("\" y2=\"")
                    .append(Svg.num(y))
                    .append("\"/>")
                    .append("<text class=\"tick\" x=\"")
                    .append(LEFT - 6)
                    .append("\" y=\"")
                    .append(Svg.num(y + 4))
                    .append("\" text-anchor=\"end\">")
                    .append(Svg.compact(Math.pow(10, e)))
                    .append("</text>\n");
        }
        s.append("<text class=\"axis\" x=\"")
                .append(Svg.num(LEFT + plotW / 2))
                .append("\" y=\"")
                .append(HEIGHT - 6)
                .append("\" text-anchor=\"middle\">rank of the cluster (largest = 1)</text>\n");
        s.append("<text class=\"axis\" transform=\"translate(14 ")
                .append(Svg.num(TOP + plotH / 2))
                .append(") rotate(-90)\" text-anchor=\"middle\">points in the cluster</text>\n");
        for (int t = 0; t < levels.size(); t++) {
            long[] sorted = levels.get(t).clone();
            Arrays.sort(sorted);
            int nonEmpty = 0;
            for (long v : sorted) {
                nonEmpty += v > 0 ? 1 : 0;
            }
            String color = Svg.PALETTE[t % Svg.PALETTE.length];
            StringBuilder pts = new StringBuilder();
            int drawn = 0;
            int lastRank = 0;
            for (int rank = 1; rank <= nonEmpty; rank++) {
                if (nonEmpty > MAX_POINTS && rank != nonEmpty && !logSpaced(rank, lastRank, nonEmpty)) {
                    continue;
                }
                long size = sorted[sorted.length - rank];
                double x = LEFT + plotW * Math.log10(rank) / xMax;
                double y = TOP + plotH - plotH * Math.log10(size) / yMax;
                pts.append(drawn == 0 ? "" : " ").append(Svg.num(x)).append(',').append(Svg.num(y));
                drawn++;
                lastRank = rank;
            }
            s.append("<polyline class=\"level-curve\" data-level=\"")
                    .append(t + 1)
                    .append("\" data-clusters=\"")
                    .append(sorted.length)
                    .append("\" data-points=\"")
                    .append(drawn)
                    .append("\" fill=\"none\" stroke=\"")
                    .append(color)
                    .append("\" stroke-width=\"2\" points=\"")
                    .append(pts)
                    .append("\"/>\n");
            int empty = sorted.length - nonEmpty;
            double ly = TOP + 14 + 20 * t;
            s.append("<line x1=\"")
                    .append(WIDTH - RIGHT + 12)
                    .append("\" y1=\"")
                    .append(Svg.num(ly - 4))
                    .append("\" x2=\"")
                    .append(WIDTH - RIGHT + 32)
                    .append("\" y2=\"")
                    .append(Svg.num(ly - 4))
                    .append("\" stroke=\"")
                    .append(color)
                    .append("\" stroke-width=\"3\"/><text class=\"legend\" x=\"")
                    .append(WIDTH - RIGHT + 38)
                    .append("\" y=\"")
                    .append(Svg.num(ly))
                    .append("\">level ")
                    .append(t + 1)
                    .append(t == 0 ? " (leaves)" : t == levels.size() - 1 ? " (top)" : "")
                    .append(empty > 0 ? ", " + empty + " empty" : "")
                    .append("</text>\n");
        }
        return s.append("</svg>\n").toString();
    }

    /** Keeps a rank when it is at least 1/MAX_POINTS of the log range past the last kept one. */
    private static boolean logSpaced(int rank, int lastRank, int n) {
        return lastRank == 0 || Math.log(rank) - Math.log(lastRank) >= Math.log(n) / MAX_POINTS;
    }
}
