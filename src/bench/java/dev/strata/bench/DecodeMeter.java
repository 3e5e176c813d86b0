package dev.strata.bench;

import dev.strata.StrataException;
import dev.strata.job.InputDeserializer;
import dev.strata.model.ClusterTree;
import dev.strata.records.DecodeResult;
import dev.strata.records.EmbeddingRecord;
import dev.strata.records.EncodedRecord;
import dev.strata.records.InputRules;
import dev.strata.records.RecordDecoder;
import dev.strata.records.RecordEncoder;
import dev.strata.records.WireFormat;
import dev.strata.vector.FloatMatrix;

/**
 * The single-thread rate of the job's decoder on records as the benchmark produces them: one
 * line of the benchmark's breakdown of where a record's CPU goes. The records are encoded before
 * timing; untimed passes over at least {@value #WARM_RECORDS} records come first, so the JIT has
 * compiled the decoder (one pass over a thousand records leaves it interpreted and reads 10-50x
 * slower), and the rate is the fastest of a few timed passes.
 */
final class DecodeMeter {
    private static final int PASSES = 3;
    private static final int WARM_RECORDS = 200_000;

    private DecodeMeter() {}

    /** Records per second through {@link RecordDecoder#decode} with the job's rules for this model. */
    static double recordsPerSecond(ClusterTree tree, FloatMatrix rows, WireFormat format, int maxRecordBytes) {
        InputRules rules = InputDeserializer.rulesFor(tree, maxRecordBytes);
        EncodedRecord[] encoded = new EncodedRecord[rows.rows()];
        for (int i = 0; i < encoded.length; i++) {
            encoded[i] = RecordEncoder.encode(new EmbeddingRecord(Integer.toString(i), rows.row(i), "{}"), format);
        }
        for (long warmed = 0; warmed < WARM_RECORDS; warmed += encoded.length) {
            pass(encoded, rules);
        }
        long best = Long.MAX_VALUE;
        for (int p = 0; p < PASSES; p++) {
            long start = System.nanoTime();
            pass(encoded, rules);
            best = Math.min(best, System.nanoTime() - start);
        }
        return encoded.length * 1e9 / Math.max(1, best);
    }

    private static void pass(EncodedRecord[] encoded, InputRules rules) {
        for (EncodedRecord e : encoded) {
            DecodeResult r = RecordDecoder.decode(e.key(), e.value(), e.headers(), rules);
            if (!r.isValid()) {
                throw new StrataException(
                        "the benchmark's own record did not decode: " + r.reason() + " " + r.detail());
            }
        }
    }
}
