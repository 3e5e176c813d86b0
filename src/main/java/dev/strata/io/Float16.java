package dev.strata.io;

/**
 * IEEE 754 half precision to float32, for float16 embedding shards (numpy '<f2'). Java 17 has no
 * Float.float16ToFloat, so the 65,536 possible values are decoded once into a table: a lookup
 * per element keeps an f16 shard as cheap to read as an f32 one. Every half is exactly
 * representable as a float, so the conversion is exact (NaN payloads, infinities, subnormals).
 */
final class Float16 {
    private static final float[] TABLE = table();

    private Float16() {}

    static float toFloat(short half) {
        return TABLE[half & 0xffff];
    }

    /** The bit-level conversion the table is filled from. */
    static float convert(int bits) {
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1f;
        int mantissa = bits & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            // zero or subnormal: mantissa * 2^-24, exact in float32
            float magnitude = mantissa * 0x1p-24f;
            return sign != 0 ? -magnitude : magnitude;
        }
        // re-bias the exponent from 15 to 127
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }

    private static float[] table() {
        float[] t = new float[1 << 16];
        for (int i = 0; i < t.length; i++) {
            t[i] = convert(i);
        }
        return t;
    }
}
