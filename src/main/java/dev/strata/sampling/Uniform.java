package dev.strata.sampling;

import dev.strata.random.SplitMix64;
import java.nio.charset.StandardCharsets;

/**
 * A uniform number in [0, 1) from (seed, item id). Decisions keyed on the id rather than on a
 * random stream are reproducible: a replay after a failure decides the same for the same item.
 */
public final class Uniform {
    private Uniform() {}

    public static double of(long seed, String id) {
        long h = seed ^ 0x9E3779B97F4A7C15L;
        for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xFF)) * 0x100000001B3L;
        }
        return (SplitMix64.mix(h) >>> 11) * 0x1.0p-53;
    }
}
