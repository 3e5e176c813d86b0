package dev.strata.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.TestTrees;
import dev.strata.model.ClusterTree;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BalancedSelectionTest {
    // leaves 0,1,2 under top 0 (a dense concept); leaves 3,4 under top 1; leaf 5 alone under top 2
    private final int[] parent = {0, 0, 0, 1, 1, 2};

    private int[] rowsPerLeaf(int... counts) {
        int n = Arrays.stream(counts).sum();
        int[] leafOf = new int[n];
        int r = 0;
        for (int leaf = 0; leaf < counts.length; leaf++) {
            for (int i = 0; i < counts[leaf]; i++) {
                leafOf[r++] = leaf;
            }
        }
        return leafOf;
    }

    @Test
    void selectsExactlyMinOfTargetAndNDistinctRows() {
        int[] leafOf = rowsPerLeaf(500, 300, 200, 20, 10, 3);
        ClusterTree tree = TestTrees.twoLevel(4, parent, new long[] {500, 300, 200, 20, 10, 3}, 3, 1);
        float[] dist = new float[leafOf.length];
        for (long target : new long[] {0, 1, 7, 30, 100, 1033, 5000}) {
            int[] sel = BalancedSelection.select(tree, leafOf, dist, target, LeafStrategy.RANDOM, 3);
            assertEquals(Math.min(target, leafOf.length), sel.length);
            Set<Integer> distinct = new HashSet<>();
            for (int s : sel) {
                distinct.add(s);
            }
            assertEquals(sel.length, distinct.size());
        }
    }

    @Test
    void balancesOverTopClustersThenDownTheSubtree() {
        int[] leafOf = rowsPerLeaf(500, 300, 200, 20, 10, 3);
        ClusterTree tree = TestTrees.twoLevel(4, parent, new long[] {500, 300, 200, 20, 10, 3}, 3, 1);
        int[] sel = BalancedSelection.select(tree, leafOf, new float[leafOf.length], 100, LeafStrategy.RANDOM, 3);
        long[] perLeaf = new long[6];
        for (int s : sel) {
            perLeaf[leafOf[s]]++;
        }
        // top: sizes 1000, 30, 3 -> 3 kept whole, 30 kept whole, the dense concept gets the other 67
        assertEquals(3, perLeaf[5]);
        assertEquals(30, perLeaf[3] + perLeaf[4]);
        assertEquals(67, perLeaf[0] + perLeaf[1] + perLeaf[2]);
        // inside the dense concept: 67 over (500, 300, 200) -> 22/22/23 in some order
        for (int leaf = 0; leaf < 3; leaf++) {
            assertTrue(perLeaf[leaf] == 22 || perLeaf[leaf] == 23);
        }
    }

    @Test
    void closestTakesTheNearestRowsOfEachLeaf() {
        int[] leafOf = rowsPerLeaf(10, 10);
        ClusterTree tree = TestTrees.twoLevel(2, new int[] {0, 1}, new long[] {10, 10}, 2, 1);
        float[] dist = new float[20];
        for (int i = 0; i < 20; i++) {
            dist[i] = 100 - i; // later rows are closer
        }
        int[] sel = BalancedSelection.select(tree, leafOf, dist, 4, LeafStrategy.CLOSEST, 9);
        assertArrayEquals(new int[] {8, 9, 18, 19}, sel);
    }

    @Test
    void sameSeedSameSelection() {
        int[] leafOf = rowsPerLeaf(50, 40, 30, 20, 10, 5);
        ClusterTree tree = TestTrees.twoLevel(4, parent, new long[] {50, 40, 30, 20, 10, 5}, 3, 1);
        float[] dist = new float[leafOf.length];
        int[] a = BalancedSelection.select(tree, leafOf, dist, 37, LeafStrategy.RANDOM, 21);
        int[] b = BalancedSelection.select(tree, leafOf, dist, 37, LeafStrategy.RANDOM, 21);
        assertArrayEquals(a, b);
    }
}
