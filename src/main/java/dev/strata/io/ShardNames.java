package dev.strata.io;

import java.nio.file.FileSystems;
import java.nio.file.PathMatcher;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.Locale;

/**
 * The naming rules shared by both stores: which names are shards, how a glob matches names, and
 * their order. Names sort "naturally" (digit runs by value), so LAION's unpadded img_emb_2.npy
 * comes before img_emb_10.npy, and zero-padded names sort as plain text would.
 */
final class ShardNames {
    private ShardNames() {}

    static boolean isShard(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".npy") || lower.endsWith(".fvecs");
    }

    static boolean isGlob(String name) {
        return name.chars().anyMatch(c -> "*?[{".indexOf(c) >= 0);
    }

    static PathMatcher glob(String pattern) {
        return FileSystems.getDefault().getPathMatcher("glob:" + pattern);
    }

    static boolean matches(PathMatcher matcher, String name) {
        return matcher.matches(Paths.get(name));
    }

    /** Compares names with runs of digits taken as numbers. */
    static final Comparator<String> NATURAL = ShardNames::compareNatural;

    static int compareNatural(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            char ca = a.charAt(i);
            char cb = b.charAt(j);
            if (Character.isDigit(ca) && Character.isDigit(cb)) {
                int ei = i;
                while (ei < a.length() && Character.isDigit(a.charAt(ei))) {
                    ei++;
                }
                int ej = j;
                while (ej < b.length() && Character.isDigit(b.charAt(ej))) {
                    ej++;
                }
                String na = a.substring(i, ei).replaceFirst("^0+(?=.)", "");
                String nb = b.substring(j, ej).replaceFirst("^0+(?=.)", "");
                int c = na.length() != nb.length() ? Integer.compare(na.length(), nb.length()) : na.compareTo(nb);
                if (c != 0) {
                    return c;
                }
                i = ei;
                j = ej;
            } else {
                if (ca != cb) {
                    return Character.compare(ca, cb);
                }
                i++;
                j++;
            }
        }
        int c = Integer.compare(a.length() - i, b.length() - j);
        return c != 0 ? c : a.compareTo(b);
    }
}
