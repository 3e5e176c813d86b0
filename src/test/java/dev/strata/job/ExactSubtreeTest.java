package dev.strata.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.strata.model.ClusterLevel;
import dev.strata.model.ClusterTree;
import dev.strata.model.Metric;
import dev.strata.sampling.QuotaPlan;
import dev.strata.sampling.TreeShape;
import dev.strata.vector.FloatMatrix;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Exact mode against an oracle that keeps every item: after every arrival, the live set must be,
 * in every leaf, the best quota of all items seen in that leaf, with the quotas water-filled over
 * the live counts. This checks the bounded candidate lists ("quota + depth") lose nothing.
 */
class ExactSubtreeTest {

    /** A random tree: level sizes top-down, each cluster's parent drawn at random (every parent gets a child). */
    static ClusterTree randomTree(Random rnd, int... sizes) {
        int depth = sizes.length;
        List<ClusterLevel> levels = new ArrayList<>();
        for (int t = 0; t < depth; t++) {
            int k = sizes[depth - 1 - t];
            int[] parent = new int[k];
            if (t == depth - 1) {
                Arrays.fill(parent, -1);
            } else {
                int parents = sizes[depth - 2 - t];
                for (int c = 0; c < k; c++) {
                    parent[c] = c < parents ? c : rnd.nextInt(parents);
                }
            }
            levels.add(new ClusterLevel(FloatMatrix.zeros(k, 2), parent, new long[k]));
        }
        return new ClusterTree(Metric.L2, 2, levels, null, "");
    }

    private static final class MemoryStore implements ExactSubtree.Store {
        final Map<Integer, long[]> counts = new HashMap<>();
        final Map<Integer, long[]> last = new HashMap<>();
        final Map<Integer, Candidate[]> candidates = new HashMap<>();
        int top;

        public long[] counts() {
            return counts.get(top);
        }

        public long[] lastQuotas() {
            return last.get(top);
        }

        public Candidate[] candidates(int leaf) {
            return candidates.get(leaf);
        }

        public void putCandidates(int leaf, Candidate[] c) {
            candidates.put(leaf, c);
        }

        public void save(long[] c, long[] l) {
            counts.put(top, c);
            last.put(top, l);
        }

        final Map<String, Integer> index = new HashMap<>();

        public Integer candidateLeaf(String id) {
            return index.get(id);
        }

        public void indexCandidate(String id, int leaf) {
            index.put(id, leaf);
        }

        public void unindexCandidate(String id) {
            index.remove(id);
        }
    }

    @Test
    void liveSetIsAlwaysTheBestQuotaOfEveryLeaf() throws Exception {
        Random rnd = new Random(7);
        int checks = 0;
        for (int trial = 0; trial < 60; trial++) {
            ClusterTree tree = trial % 2 == 0 ? randomTree(rnd, 3, 12) : randomTree(rnd, 2, 6, 20);
            TreeShape shape = new TreeShape(tree);
            long seed = trial;
            ExactSubtree subtree = new ExactSubtree(shape, seed);
            MemoryStore store = new MemoryStore();
            Set<String> live = new HashSet<>();
            ExactSubtree.Changes changes = new ExactSubtree.Changes() {
                public void upsert(Candidate c) {
                    assertEquals(true, live.add(c.id), "upsert of a live id " + c.id);
                }

                public void tombstone(Candidate c) {
                    assertEquals(true, live.remove(c.id), "tombstone of an id not live " + c.id);
                }
            };
            int tops = tree.top().clusters();
            long[] budget = new long[tops];
            for (int t = 0; t < tops; t++) {
                budget[t] = 1 + rnd.nextInt(25);
            }
            int leaves = tree.leaves().clusters();
            // skewed leaf popularity, as in a long-tailed stream
            double[] weight = new double[leaves];
            for (int l = 0; l < leaves; l++) {
                weight[l] = Math.pow(rnd.nextDouble(), 3);
            }
            Map<Integer, List<Candidate>> seen = new HashMap<>();
            long[] counts = new long[leaves];
            int items = 150 + rnd.nextInt(300);
            for (int i = 0; i < items; i++) {
                int leaf = pick(weight, rnd);
                int top = shape.topOf(leaf);
                String id = Integer.toString(i);
                double score = rnd.nextInt(50) / 50.0; // coarse scores: ties broken by id
                store.top = top;
                subtree.offer(top, budget[top], leaf, id, score, () -> new byte[] {1}, store, changes);
                counts[leaf]++;
                seen.computeIfAbsent(leaf, k -> new ArrayList<>()).add(new Candidate(id, score, null));

                // oracle for the top cluster that just changed
                long[] q = QuotaPlan.subtreeLeafQuotas(shape, top, budget[top], counts, seed);
                Set<String> expected = new TreeSet<>();
                for (int l : shape.leavesUnder(top)) {
                    List<Candidate> all = new ArrayList<>(seen.getOrDefault(l, List.of()));
                    all.sort(Candidate::compare);
                    for (int r = 0; r < q[l] && r < all.size(); r++) {
                        expected.add(all.get(r).id);
                    }
                }
                Set<String> actual = new TreeSet<>();
                for (int l : shape.leavesUnder(top)) {
                    for (Candidate c : seen.getOrDefault(l, List.of())) {
                        if (live.contains(c.id)) {
                            actual.add(c.id);
                        }
                    }
                }
                assertEquals(expected, actual, "trial " + trial + " after item " + i);
                checks++;
            }
        }
        assertNotEquals(0, checks);
    }

    @Test
    void aResentIdIsOneItem() throws Exception {
        ClusterTree tree = randomTree(new Random(1), 1, 3);
        ExactSubtree subtree = new ExactSubtree(new TreeShape(tree), 0);
        MemoryStore store = new MemoryStore();
        List<String> upserts = new ArrayList<>();
        ExactSubtree.Changes changes = new ExactSubtree.Changes() {
            public void upsert(Candidate c) {
                upserts.add(c.id);
            }

            public void tombstone(Candidate c) {
                upserts.remove(c.id);
            }
        };
        assertEquals(
                ExactSubtree.Outcome.SELECTED, subtree.offer(0, 5, 1, "a", 0.5, () -> new byte[0], store, changes));
        assertEquals(
                ExactSubtree.Outcome.DUPLICATE, subtree.offer(0, 5, 1, "a", 0.5, () -> new byte[0], store, changes));
        assertEquals(List.of("a"), upserts);
        assertEquals(
                1,
                store.counts
                        .get(0)[
                        Arrays.stream(new TreeShape(tree).leavesUnder(0))
                                .boxed()
                                .toList()
                                .indexOf(1)]);
    }

    @Test
    void anIdResentIntoAnotherLeafOfItsTopClusterIsOneItem() throws Exception {
        ClusterTree tree = randomTree(new Random(1), 1, 3);
        TreeShape shape = new TreeShape(tree);
        ExactSubtree subtree = new ExactSubtree(shape, 0);
        MemoryStore store = new MemoryStore();
        Set<String> live = new HashSet<>();
        ExactSubtree.Changes changes = new ExactSubtree.Changes() {
            public void upsert(Candidate c) {
                assertEquals(true, live.add(c.id), "upsert of a live id " + c.id);
            }

            public void tombstone(Candidate c) {
                assertEquals(true, live.remove(c.id), "tombstone of an id not live " + c.id);
            }
        };
        assertEquals(
                ExactSubtree.Outcome.SELECTED, subtree.offer(0, 5, 1, "a", 0.5, () -> new byte[0], store, changes));
        assertEquals(
                ExactSubtree.Outcome.DUPLICATE, subtree.offer(0, 5, 2, "a", 0.1, () -> new byte[0], store, changes));
        assertEquals(Set.of("a"), live);
        long[] counts = store.counts.get(0);
        assertEquals(1, Arrays.stream(counts).sum(), "the re-sent id is counted once: " + Arrays.toString(counts));
    }

    /**
     * Ids re-sent with embeddings in other leaves of the same top cluster: whatever the order,
     * an id is live at most once, a tombstone only ever removes a live id, and the live set is
     * what the oracle keeps from the first copy of every id.
     */
    @Test
    void resentIdsNeverLiveTwiceAndEvictionsNeverDeleteALiveCopy() throws Exception {
        Random rnd = new Random(3);
        for (int trial = 0; trial < 40; trial++) {
            ClusterTree tree = randomTree(rnd, 2, 10);
            TreeShape shape = new TreeShape(tree);
            ExactSubtree subtree = new ExactSubtree(shape, trial);
            MemoryStore store = new MemoryStore();
            Map<String, Integer> liveCopies = new HashMap<>();
            ExactSubtree.Changes changes = new ExactSubtree.Changes() {
                public void upsert(Candidate c) {
                    assertEquals(null, liveCopies.put(c.id, 1), "upsert of a live id " + c.id);
                }

                public void tombstone(Candidate c) {
                    assertEquals(1, liveCopies.remove(c.id), "tombstone of an id not live " + c.id);
                }
            };
            long budget = 2 + rnd.nextInt(8);
            Map<Integer, List<Candidate>> firstCopies = new HashMap<>();
            Set<String> seenIds = new HashSet<>();
            long[] counts = new long[tree.leaves().clusters()];
            int[] under = shape.leavesUnder(0);
            for (int i = 0; i < 200; i++) {
                // a third of the arrivals re-send an earlier id, into any leaf of the same top cluster
                String id = i > 0 && rnd.nextInt(3) == 0 ? Integer.toString(rnd.nextInt(i)) : Integer.toString(i);
                int leaf = under[rnd.nextInt(under.length)];
                double score = rnd.nextDouble();
                store.top = 0;
                ExactSubtree.Outcome o =
                        subtree.offer(0, budget, leaf, id, score, () -> new byte[] {1}, store, changes);
                if (seenIds.add(id)) {
                    counts[leaf]++;
                    firstCopies.computeIfAbsent(leaf, k -> new ArrayList<>()).add(new Candidate(id, score, null));
                } else if (o != ExactSubtree.Outcome.DUPLICATE) {
                    // only a copy that has left every candidate list may come back (counted again)
                    counts[leaf]++;
                    firstCopies.computeIfAbsent(leaf, k -> new ArrayList<>()).add(new Candidate(id, score, null));
                }
            }
            long[] q = QuotaPlan.subtreeLeafQuotas(shape, 0, budget, counts, trial);
            Set<String> expected = new TreeSet<>();
            for (int l : under) {
                List<Candidate> all = new ArrayList<>(firstCopies.getOrDefault(l, List.of()));
                all.sort(Candidate::compare);
                for (int r = 0; r < q[l] && r < all.size(); r++) {
                    expected.add(all.get(r).id);
                }
            }
            assertEquals(expected, new TreeSet<>(liveCopies.keySet()), "trial " + trial);
        }
    }

    private static int pick(double[] weight, Random rnd) {
        double total = Arrays.stream(weight).sum();
        double u = rnd.nextDouble() * total;
        for (int i = 0; i < weight.length; i++) {
            u -= weight[i];
            if (u < 0) {
                return i;
            }
        }
        return weight.length - 1;
    }
}
