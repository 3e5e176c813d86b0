package dev.strata.report;

/**
 * The top centroids on their first two principal components ({@link Pca2d}): one disc per top
 * cluster, its area proportional to the cluster's pool size, so the picture shows where the
 * model put its concepts and how unequal they are. Axes are the components' scores, one scale for
 * both so distances are not distorted.
 */
final class CentroidMap {
    static final int WIDTH = 900;
    static final int HEIGHT = 520;
    private static final int PAD = 36;
    private static final double MAX_RADIUS = 28;
    private static final double MIN_RADIUS = 2.5;

    private CentroidMap() {}

    /** {@code xy[i]} are cluster i's coordinates; {@code sizes[i]} its pool size. */
    static String svg(double[][] xy, long[] sizes) {
        double minX = Double.MAX_VALUE;
        double maxX = -Double.MAX_VALUE;
        double minY = Double.MAX_VALUE;
        double maxY = -Double.MAX_VALUE;
        for (double[] p : xy) {
            minX = Math.min(minX, p[0]);
            maxX = Math.max(maxX, p[0]);
            minY = Math.min(minY, p[1]);
            maxY = Math.max(maxY, p[1]);
        }
        double span = Math.max(Math.max(maxX - minX, maxY - minY), 1e-12);
        double inner = Math.min(WIDTH, HEIGHT) - 2 * (PAD + MAX_RADIUS);
        double scale = inner / span;
        double cx = WIDTH / 2.0 - scale * (minX + maxX) / 2;
        double cy = HEIGHT / 2.0 + scale * (minY + maxY) / 2;
        long largest = 1;
        for (long s : sizes) {
            largest = Math.max(largest, s);
        }
        StringBuilder s = new StringBuilder();
        s.append("<svg id=\"centroid-map\" xmlns=\"http://www.w3.org/2000/svg\" width=\"")
                .append(WIDTH)
                .append("\" height=\"")
                .append(HEIGHT)
                .append("\" viewBox=\"0 0 ")
                .append(WIDTH)
                .append(' ')
                .append(HEIGHT)
                .append("\" role=\"img\" aria-label=\"top centroids on the first two principal components\">\n");
        s.append("<rect x=\"0.5\" y=\"0.5\" width=\"")
                .append(WIDTH - 1)
                .append("\" height=\"")
                .append(HEIGHT - 1)
                .append("\" fill=\"#fbfcfd\" stroke=\"#d5dbe1\"/>\n");
        s.append("<text class=\"axis\" x=\"")
                .append(WIDTH - 10)
                .append("\" y=\"")
                .append(HEIGHT - 10)
                .append("\" text-anchor=\"end\">principal component 1 &#8594;</text>")
                .append("<text class=\"axis\" transform=\"translate(18 ")
                .append(PAD + 120)
                .append(") rotate(-90)\" text-anchor=\"end\">principal component 2 &#8594;</text>\n");
        // largest first, so small discs are drawn on top and stay visible
        Integer[] order = ShareChart.order(sizes);
        for (int i : order) {
            double r = MIN_RADIUS + (MAX_RADIUS - MIN_RADIUS) * Math.sqrt((double) sizes[i] / largest);
            double x = cx + scale * xy[i][0];
            double y = cy - scale * xy[i][1];
            s.append("<circle class=\"centroid\" data-cluster=\"")
                    .append(i)
                    .append("\" cx=\"")
                    .append(Svg.num(x))
                    .append("\" cy=\"")
                    .append(Svg.num(y))
                    .append("\" r=\"")
                    .append(Svg.num(r))
                    .append("\" fill=\"")
                    .append(Svg.PALETTE[i % Svg.PALETTE.length])
                    .append("\" fill-opacity=\"0.55\" stroke=\"#1d2733\" stroke-width=\"0.6\"><title>top cluster ")
                    .append(i)
                    .append(": ")
                    .append(sizes[i])
                    .append(" pool points</title></circle>\n");
            if (order.length <= 60) {
                s.append("<text class=\"label\" x=\"")
                        .append(Svg.num(x))
                        .append("\" y=\"")
                        .append(Svg.num(y + 3.5))
                        .append("\" text-anchor=\"middle\">")
                        .append(i)
                        .append("</text>\n");
            }
        }
        return s.append("</svg>\n").toString();
    }
}
