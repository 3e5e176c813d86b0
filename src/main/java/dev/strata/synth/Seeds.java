package dev.strata.synth;

import dev.strata.random.SplitMix64;
import java.util.SplittableRandom;

/**
 * Independent random streams derived from one user seed. Each generator draws its centres,
 * its row order and each row's noise from a separate stream, so the same seed gives the same
 * data whatever the block size or thread count that produced it.
 */
final class Seeds {
    /** Stream names: distinct constants so that streams never share a starting state. */
    static final long CENTRES = 0x43454e54L;

    static final long ORDER = 0x4f524452L;
    static final long ROWS = 0x524f5753L;

    private Seeds() {}

    static SplittableRandom stream(long seed, long stream) {
        return new SplittableRandom(mix(seed, stream, 0));
    }

    /** The generator for one row of one stream. */
    static SplittableRandom row(long seed, long stream, long row) {
        return new SplittableRandom(mix(seed, stream, row + 1));
    }

    /** SplitMix64's finaliser over a combination of the three inputs: nearby inputs land far apart. */
    static long mix(long seed, long stream, long index) {
        return SplitMix64.mix(seed * 0x9E3779B97F4A7C15L + stream * 0xD1B54A32D192ED03L + index * 0xBF58476D1CE4E5B9L);
    }
}
