package dev.strata.kmeans;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SeedBlocksTest {

    @Test
    void addressesEveryRowOfAPoolPastTwoToTheThirtyOneOverCandidates() {
        // 400M rows x 12 candidates (k = 30,000): 4.8e9 slots, where one array of
        // rows x trials floats wrapped to 505M and its index i x trials + t went negative
        int rows = 400_000_000;
        int trials = 2 + (int) Math.floor(Math.log(30_000));
        assertEquals(12, trials);
        assertTrue((long) rows * trials > Integer.MAX_VALUE, "the old single array's index overflows here");
        SeedBlocks blocks = new SeedBlocks(rows, 4096, trials);
        assertEquals((rows + 4095) / 4096, blocks.count());
        int last = blocks.count() - 1;
        assertEquals(rows, blocks.to(last));
        assertEquals((long) last * 4096, blocks.from(last));
        assertEquals(rows - blocks.from(last), blocks.to(last) - blocks.from(last));
        // only the blocks touched are allocated: the last one holds its rows' candidates
        float[] tail = blocks.candidateDistances(last);
        assertEquals((blocks.to(last) - blocks.from(last)) * trials, tail.length);
        int lastReached = blocks.to(last) - blocks.from(last) - 1;
        tail[blocks.slot(lastReached, trials - 1)] = 7f;
        assertEquals(tail.length - 1, blocks.slot(lastReached, trials - 1));
        assertEquals(7f, blocks.candidateDistances(last)[tail.length - 1], "the same array on the next step");
        float[] head = blocks.candidateDistances(0);
        assertEquals(4096 * trials, head.length);
        assertEquals(0f, head[head.length - 1], "another block's slots are its own");
    }

    @Test
    void blockBoundsStayInRangeNearTwoToTheThirtyOneRows() {
        int rows = Integer.MAX_VALUE - 8;
        SeedBlocks blocks = new SeedBlocks(rows, 4096, 20);
        int last = blocks.count() - 1;
        // (last + 1) x 4096 is 2^31: computed in int it wraps negative
        assertEquals(rows, blocks.to(last));
        assertTrue(blocks.from(last) > 0 && blocks.from(last) < rows);
        assertEquals(blocks.to(last - 1), blocks.from(last));
    }
}
