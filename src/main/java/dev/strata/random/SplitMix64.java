package dev.strata.random;

/**
 * SplitMix64's finaliser: a bijection on 64-bit values that sends nearby inputs far apart. Every
 * seeded stream and hash priority in Strata (resampling seeds, synthetic rows, water-filling's
 * remainder order, admission draws) runs its own combination of inputs through this one mixer.
 */
public final class SplitMix64 {
    private SplitMix64() {}

    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
