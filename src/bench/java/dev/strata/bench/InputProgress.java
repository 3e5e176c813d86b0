package dev.strata.bench;

import java.util.Arrays;

/**
 * How far the job had read its input, and when, told by its own output: the benchmark's records
 * are keyed by row index, produced in order (each partition holds increasing rows) and read by
 * the job's one source at about the same pace on every partition, and a curated record carries
 * the time its sink sent it. So the curated rows near row r were sent about when the source passed
 * r, and the rate between two such moments is the job's rate there, start-up and the JIT's
 * warm-up left out when both moments are late in the input.
 *
 * <p>A moment is the median send time of the curated rows within 1% of the input around it:
 * robust to the few rows a top-up sends at the end of the input, whatever their index.
 */
final class InputProgress {
    private final long[] rows;
    private final long[] times;
    private final long records;

    /** @param sends {row index, send time in epoch ms} per curated record; records: the input's size */
    InputProgress(long[][] sends, long records) {
        long[][] sorted = sends.clone();
        Arrays.sort(sorted, (a, b) -> Long.compare(a[0], b[0]));
        rows = new long[sorted.length];
        times = new long[sorted.length];
        for (int i = 0; i < sorted.length; i++) {
            rows[i] = sorted[i][0];
            times[i] = sorted[i][1];
        }
        this.records = records;
    }

    /** Epoch ms at which the source passed {@code fraction} of the input; NaN with fewer than 5 rows near it. */
    double timeAt(double fraction) {
        long half = Math.max(1, records / 200);
        long center = Math.round(fraction * records);
        int from = lowerBound(center - half);
        int to = lowerBound(center + half + 1);
        if (to - from < 5) {
            return Double.NaN;
        }
        long[] t = Arrays.copyOfRange(times, from, to);
        Arrays.sort(t);
        return t.length % 2 == 1 ? t[t.length / 2] : (t[t.length / 2 - 1] + t[t.length / 2]) / 2.0;
    }

    /** Records per second between the moments the source passed {@code from} and {@code to} of the input. */
    double rate(double from, double to) {
        double seconds = (timeAt(to) - timeAt(from)) / 1e3;
        return seconds > 0 ? (to - from) * records / seconds : Double.NaN;
    }

    private int lowerBound(long row) {
        int i = Arrays.binarySearch(rows, row);
        if (i < 0) {
            return -i - 1;
        }
        while (i > 0 && rows[i - 1] == row) {
            i--;
        }
        return i;
    }
}
