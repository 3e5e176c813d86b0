package dev.strata.report;

import java.util.Locale;

/** The little text helpers every chart shares: numbers as SVG wants them, escaped text. */
final class Svg {
    /** One colour per level (leaves first) or series; the palette's order is the legend's. */
    static final String[] PALETTE = {
        "#1b6ca8", "#e07b24", "#2e9e5b", "#b8457e", "#7a5cc2", "#8c6d31", "#4b9db8", "#999999"
    };

    static final String BEFORE = "#b8c4d0";
    static final String AFTER = "#1b6ca8";

    private Svg() {}

    static String num(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    static String pct(double v) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * v);
    }

    /** Text for element content and attribute values. */
    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** Thousands as 12k, millions as 3.4M: tick labels that fit. */
    static String compact(double v) {
        if (v >= 1e6) {
            return trim(v / 1e6) + "M";
        }
        if (v >= 1e3) {
            return trim(v / 1e3) + "k";
        }
        return trim(v);
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }
}
