package dev.strata.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Test;

/** The curated-size bound the decoder refuses by must never be below what the curated sink really sends. */
class RecordSizeTest {
    private static final char[] ALPHABET = {
        'a', 'Z', '7', '"', '\\', '\n', '\t', '\u0001', '\u001f', '\u007f', '\u00e9', '\u07ff', '\u0800', '\u4e2d',
        '\uffee'
    };

    private static String randomText(Random rnd, int maxLength) {
        StringBuilder sb = new StringBuilder();
        int n = rnd.nextInt(maxLength + 1);
        for (int i = 0; i < n; i++) {
            if (rnd.nextInt(8) == 0) {
                sb.appendCodePoint(0x1F600 + rnd.nextInt(64)); // a surrogate pair
            } else {
                sb.append(ALPHABET[rnd.nextInt(ALPHABET.length)]);
            }
        }
        return sb.toString();
    }

    @Test
    void curatedSizeBoundIsNeverBelowTheProducersEstimate() {
        Random rnd = new Random(5);
        for (int trial = 0; trial < 3000; trial++) {
            String id = randomText(rnd, 40);
            if (id.isEmpty()) {
                id = "x";
            }
            String meta =
                    "{\"m\":\"" + randomText(rnd, 200).replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
            String version = "v" + Long.toHexString(rnd.nextLong());
            int depth = 1 + rnd.nextInt(5);
            int[] path = new int[depth];
            for (int i = 0; i < depth; i++) {
                path[i] = rnd.nextBoolean() ? Integer.MIN_VALUE : rnd.nextInt();
            }
            float distance =
                    rnd.nextBoolean() ? -Float.MIN_NORMAL * 1.5f : Float.intBitsToFloat(rnd.nextInt() & 0x7f7fffff);
            CuratedRecord r = new CuratedRecord(id, version, path, distance, meta);
            int actual = RecordSize.of(r.key(), r.toJson(), null);
            long bound = CuratedRecord.sizeBound(id, meta, CuratedRecord.fixedSizeBound(version, depth));
            assertTrue(actual <= bound, "id " + id + ": actual " + actual + " > bound " + bound);
            assertTrue(bound - actual < 256 + 6L * id.length(), "bound far too loose: " + bound + " vs " + actual);
        }
    }

    @Test
    void theDefaultLimitIsTheProducersDefaultMaxRequestSize() {
        assertEquals(1_048_576, RecordSize.DEFAULT_MAX_RECORD_BYTES);
    }

    @Test
    void sizeCountsThePayloadTheHeadersAndTheFraming() {
        byte[] key = "k".getBytes(StandardCharsets.UTF_8);
        // a one-record batch: 61 bytes of batch header, the record's own framing, the payload
        int size = RecordSize.of(key, new byte[1000], null);
        assertTrue(size > 1001 + 61 && size < 1001 + 100, "size " + size);
        // a header adds its name and value, each after a one-byte varint length
        int withHeader = RecordSize.of(key, new byte[1000], List.of(new RecordHeader("abc", new byte[4])));
        assertEquals(size + 1 + 3 + 1 + 4, withHeader);
    }
}
