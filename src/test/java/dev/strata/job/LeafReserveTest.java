package dev.strata.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A leaf's reserve: the lowest priorities within its room, taken lowest first. */
class LeafReserveTest {
    private static String[] ids(CuratedEvent[] events) {
        String[] out = new String[events.length];
        for (int i = 0; i < events.length; i++) {
            out[i] = events[i].id;
        }
        return out;
    }

    @Test
    void keepsTheLowestPrioritiesWithinItsRoom() {
        LeafReserve r = new LeafReserve();
        double[] p = {0.5, 0.9, 0.1, 0.7, 0.3};
        for (int i = 0; i < p.length; i++) {
            r.offer(p[i], "c" + i, new byte[] {(byte) i}, 3);
        }
        assertEquals(3, r.size());
        assertEquals(0.5, r.worst());
        assertFalse(r.offer(0.8, "late", null, 3), "above the worst held, with no room: turned away");
        assertArrayEquals(new String[] {"c2", "c4"}, ids(r.take(2)));
        assertArrayEquals(new String[] {"c0"}, ids(r.take(5)));
        assertEquals(Double.POSITIVE_INFINITY, r.worst());
    }

    @Test
    void aShrinkingRoomDropsTheHighestPriorities() {
        LeafReserve r = new LeafReserve();
        for (int i = 0; i < 5; i++) {
            r.offer(i / 10.0, "c" + i, null, 5);
        }
        assertTrue(r.offer(0.05, "new", null, 2), "a lower priority enters and the room trims the rest");
        assertArrayEquals(new String[] {"c0", "new"}, ids(r.take(2)));
        assertFalse(LeafReserve.wouldKeep(0, Double.POSITIVE_INFINITY, 0, 0.0), "no room, nothing kept");
    }
}
