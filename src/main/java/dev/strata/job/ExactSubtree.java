package dev.strata.job;

import dev.strata.sampling.QuotaPlan;
import dev.strata.sampling.TreeShape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * Exact-mode selection inside one top cluster, free of Flink: the budget of the top cluster is
 * fixed; after every item its leaf quotas are water-filled over the live leaf counts, and each
 * leaf keeps its best candidates, the first quota of them live on the changelog.
 *
 * <p>State stays bounded: once the subtree holds more items than its budget the water level
 * only falls, so a leaf can regain at most one unit per tree level; each leaf keeps its quota
 * plus the tree depth in candidates and forgets the rest.
 *
 * <p>An id is one item within its top cluster: an index of the candidates' ids (id to leaf) makes a
 * re-sent id a DUPLICATE whichever leaf its new embedding lands in, so it is neither counted twice
 * nor held twice, where a second live copy would have its key tombstoned by the first one's
 * eviction. What the index cannot see: an id re-sent after it left every candidate list (it is
 * counted again, but is never live twice), and one re-sent into another top cluster, whose state
 * lives under another key (docs/architecture.md, "Ids in exact mode").
 *
 * <p>Not thread-safe: one instance per task, reused for every key of the task.
 */
final class ExactSubtree {

    /** Where the state of the current top cluster lives (RocksDB keyed state in the job). */
    interface Store {
        /** Live item count of every leaf of the subtree, in {@link TreeShape#leavesUnder} order; null at first. */
        long[] counts() throws Exception;

        /** The leaf quotas after the previous item, same order; null at first. */
        long[] lastQuotas() throws Exception;

        Candidate[] candidates(int leaf) throws Exception;

        void putCandidates(int leaf, Candidate[] candidates) throws Exception;

        void save(long[] counts, long[] lastQuotas) throws Exception;

        /** The leaf among whose candidates the id is, or null when it is in none. */
        Integer candidateLeaf(String id) throws Exception;

        void indexCandidate(String id, int leaf) throws Exception;

        void unindexCandidate(String id) throws Exception;
    }

    /** The changelog: an item becomes live (upsert) or leaves the selection (tombstone). */
    interface Changes {
        void upsert(Candidate c);

        void tombstone(Candidate c);
    }

    enum Outcome {
        SELECTED,
        NOT_SELECTED,
        DUPLICATE
    }

    private final TreeShape shape;
    private final long seed;
    private final int[] positionInSubtree;
    private final long[] leafCounts;
    private final long[][] sizeScratch;
    private final long[][] quotaScratch;

    ExactSubtree(TreeShape shape, long seed) {
        this.shape = shape;
        this.seed = seed;
        int leaves = shape.clusters(1);
        positionInSubtree = new int[leaves];
        for (int top = 0; top < shape.clusters(shape.depth()); top++) {
            int[] under = shape.leavesUnder(top);
            for (int i = 0; i < under.length; i++) {
                positionInSubtree[under[i]] = i;
            }
        }
        leafCounts = new long[leaves];
        sizeScratch = new long[shape.depth()][];
        quotaScratch = new long[shape.depth()][];
        for (int t = 0; t < shape.depth(); t++) {
            sizeScratch[t] = new long[shape.clusters(t + 1)];
            quotaScratch[t] = new long[shape.clusters(t + 1)];
        }
    }

    /**
     * Offers one item of {@code leaf} under top cluster {@code top} with the given budget.
     *
     * @param json built only if the item is kept as a candidate
     */
    Outcome offer(
            int top,
            long budget,
            int leaf,
            String id,
            double score,
            Supplier<byte[]> json,
            Store store,
            Changes changes)
            throws Exception {
        Candidate[] current = store.candidates(leaf);
        // a re-sent item (producer retry, crawler revisit) is one item: counting it twice would
        // inflate a leaf, and two live copies share one key on the topic. The scan of the own leaf
        // also covers candidate lists written before the index existed (older savepoints).
        if (store.candidateLeaf(id) != null || holds(current, id)) {
            return Outcome.DUPLICATE;
        }
        int[] leaves = shape.leavesUnder(top);
        long[] c = store.counts();
        long[] last = store.lastQuotas();
        if (c == null) {
            c = new long[leaves.length];
            last = new long[leaves.length];
        }
        c[positionInSubtree[leaf]]++;
        for (int i = 0; i < leaves.length; i++) {
            leafCounts[leaves[i]] = c[i];
        }
        QuotaPlan.subtreeLeafQuotas(shape, top, budget, leafCounts, seed, sizeScratch, quotaScratch);
        long[] q = quotaScratch[0];

        Candidate incoming = new Candidate(id, score, null);
        List<Candidate> dropped = new ArrayList<>();
        Candidate[] own = insert(current, incoming, q[leaf] + shape.depth(), dropped);
        if (holds(own, id)) {
            incoming.json = json.get();
        }
        Candidate[] ownAfter = own;
        for (int i = 0; i < leaves.length; i++) {
            int l = leaves[i];
            if (l == leaf) {
                ownAfter = reconcile(own, q[l], changes, dropped);
                store.putCandidates(l, ownAfter);
            } else if (q[l] != last[i]) {
                Candidate[] sel = store.candidates(l);
                if (sel != null) {
                    store.putCandidates(l, reconcile(sel, q[l], changes, dropped));
                }
            }
            last[i] = q[l];
        }
        for (Candidate d : dropped) {
            if (d != incoming) {
                store.unindexCandidate(d.id);
            }
        }
        if (holds(ownAfter, id)) {
            store.indexCandidate(id, leaf);
        }
        store.save(c, last);
        return incoming.emitted ? Outcome.SELECTED : Outcome.NOT_SELECTED;
    }

    private static boolean holds(Candidate[] candidates, String id) {
        if (candidates != null) {
            for (Candidate k : candidates) {
                if (k.id.equals(id)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The candidates with {@code incoming} in rank order, cut to {@code keep}; what the cut removes goes to {@code dropped}. */
    private static Candidate[] insert(Candidate[] current, Candidate incoming, long keep, List<Candidate> dropped) {
        Candidate[] base = current == null ? new Candidate[0] : current;
        Candidate[] all = Arrays.copyOf(base, base.length + 1);
        int pos = base.length;
        while (pos > 0 && Candidate.compare(incoming, all[pos - 1]) < 0) {
            all[pos] = all[pos - 1];
            pos--;
        }
        all[pos] = incoming;
        if (all.length > keep) {
            // a dropped candidate ranks below the quota; if it was live, reconcile() must still see it
            int cut = (int) keep;
            boolean liveDropped = false;
            for (int i = cut; i < all.length; i++) {
                liveDropped |= all[i].emitted;
            }
            if (!liveDropped) {
                dropped.addAll(Arrays.asList(all).subList(cut, all.length));
                return Arrays.copyOf(all, cut);
            }
        }
        return all;
    }

    /** Makes exactly the first q candidates live: upserts for newcomers, tombstones for leavers. */
    private Candidate[] reconcile(Candidate[] sel, long q, Changes changes, List<Candidate> dropped) {
        for (int i = 0; i < sel.length; i++) {
            boolean want = i < q;
            if (want && !sel[i].emitted) {
                sel[i].emitted = true;
                changes.upsert(sel[i]);
            } else if (!want && sel[i].emitted) {
                sel[i].emitted = false;
                changes.tombstone(sel[i]);
            }
        }
        int keep = (int) Math.min(sel.length, q + shape.depth());
        if (keep == sel.length) {
            return sel;
        }
        dropped.addAll(Arrays.asList(sel).subList(keep, sel.length));
        return Arrays.copyOf(sel, keep);
    }
}
