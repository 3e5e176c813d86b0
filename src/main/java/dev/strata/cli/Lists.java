package dev.strata.cli;

import dev.strata.StrataException;
import java.util.ArrayList;
import java.util.List;

/** Parses comma-separated integer flags such as --levels 1000,300. */
final class Lists {
    private Lists() {}

    static List<Integer> ints(String flag, String value) {
        List<Integer> out = new ArrayList<>();
        for (String part : value.split(",")) {
            String p = part.trim();
            try {
                out.add(Integer.parseInt(p));
            } catch (NumberFormatException e) {
                throw new StrataException(
                        flag + " expects comma-separated integers like 1000,300; got '" + value + "'");
            }
        }
        return out;
    }

    /** A list of one value per level: either that many values, or one value repeated. */
    static List<Integer> perLevel(String flag, String value, int levels) {
        List<Integer> v = ints(flag, value);
        if (v.size() == 1 && levels > 1) {
            List<Integer> rep = new ArrayList<>();
            for (int i = 0; i < levels; i++) {
                rep.add(v.get(0));
            }
            return rep;
        }
        if (v.size() != levels) {
            throw new StrataException(flag + " has " + v.size() + " values but --levels has " + levels
                    + "; give one value per level or a single value for all");
        }
        return v;
    }
}
