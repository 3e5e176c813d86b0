package dev.strata.assign;

import dev.strata.model.ClusterTree;
import dev.strata.model.Metric;
import dev.strata.vector.DotKernel;
import dev.strata.vector.FloatMatrix;
import dev.strata.vector.NearestCentroids;

/**
 * Leaf assignment by descending the tree with a beam: rank the top clusters, keep the best B,
 * rank the children of those B, keep the best B, and so on; at the leaf level return the nearest
 * candidate leaf with its squared distance. With 10k leaves under 1k and 100 parents and B = 4, an
 * item is compared with about 100 + 40 + 40 centroids instead of 10,000. It can miss the exact
 * leaf when that leaf sits under a parent that ranked below B; {@link RecallMeter} measures how
 * often. When B is at least a level's cluster count, that level is searched exhaustively.
 *
 * <p>The whole batch descends together, level by level. The top level is one kernel call per
 * chunk of the batch against all top centroids. Below it, the rows are grouped by the clusters
 * their beams hold ({@link ParentGroups}), and each cluster's children (stored contiguously,
 * {@link ChildBlocks}) are multiplied with all of that cluster's rows in one call: a busy parent
 * that many rows share is read once per batch and its product runs at the blocked kernel's
 * speed, where a row-by-row descent made one matrix-vector call per row and parent. The kernels
 * compute each dot product the same way whatever the number of rows in the call, and the beams
 * keep a strict (distance, index) order ({@link RowBeams}), so the result is exactly that of a
 * row-by-row descent. Distances are ||x||^2 - 2 x.c + ||c||^2 like {@link NearestCentroids},
 * clipped at 0; ties go to the lowest cluster index. A one-level model has nothing to descend and
 * is assigned exactly.
 *
 * <p>One instance per thread: the scratch buffers are reused across calls.
 */
public final class BeamAssigner implements LeafAssigner {
    private final ClusterTree tree;
    private final int beam;
    /** Relative slack: a beam keeps only candidates within (1 + slack) of its best one's squared distance; 0 keeps all. */
    private final double slack;

    private final int dim;
    /** Set for one-level models only. */
    private final NearestCentroids exactNearest;

    private final ExactAssigner exact;
    /** The model's prepared centroids, read-only and shareable; null for one-level models. */
    private final BeamIndex index;

    private final DotKernel kernel;
    /** The widest beam kept: no level offers more candidates than it has live clusters. */
    private final int capacity;

    private float[] queries = new float[0];
    private float[] norms = new float[0];
    private float[] gathered = new float[0];
    private final float[] dots;
    private final RowBeams current;
    private final RowBeams next;
    private final ParentGroups groups = new ParentGroups();
    private long compared;

    /** With an index of its own (tests, benchmarks, one-off tools). */
    public BeamAssigner(ClusterTree tree, int beam, DotKernel kernel) {
        this(tree, beam, 0, kernel);
    }

    /** With an index of its own and a beam slack ({@link #BeamAssigner(BeamIndex, int, double)}). */
    public BeamAssigner(ClusterTree tree, int beam, double slack, DotKernel kernel) {
        this(tree, tree.depth() == 1 ? null : new BeamIndex(tree, kernel), beam, slack, kernel);
    }

    /** Over a shared index ({@link BeamIndex#shared}): only the scratch buffers are this assigner's. */
    public BeamAssigner(BeamIndex index, int beam) {
        this(index, beam, 0);
    }

    /**
     * @param slack before each level below the top, a row's beam drops the clusters whose squared
     *     distance is more than (1 + slack) times its best one's: a row clearly inside one cluster
     *     descends into that one only, a row between clusters into all its beam holds. 0 keeps the
     *     whole beam.
     */
    public BeamAssigner(BeamIndex index, int beam, double slack) {
        this(index.tree, index, beam, slack, index.kernel);
    }

    private BeamAssigner(ClusterTree tree, BeamIndex index, int beam, double slack, DotKernel kernel) {
        if (beam < 1) {
            throw new IllegalArgumentException("beam must be >= 1, got " + beam);
        }
        if (!(slack >= 0) || Double.isInfinite(slack)) {
            throw new IllegalArgumentException("beam slack must be a finite number >= 0, got " + slack);
        }
        this.slack = slack;
        this.tree = tree;
        this.kernel = kernel;
        this.beam = beam;
        this.dim = tree.dim();
        this.index = index;
        if (index == null) {
            exactNearest = new NearestCentroids(kernel, 1);
            exact = new ExactAssigner(tree, exactNearest);
            capacity = 0;
            dots = null;
            current = null;
            next = null;
            return;
        }
        exactNearest = null;
        exact = null;
        dots = new float[Math.max(index.topRows * index.topId.length, Math.max(BeamIndex.MAX_DOTS, index.maxChildren))];
        capacity = Math.min(beam, index.widest);
        current = new RowBeams(capacity);
        next = new RowBeams(capacity);
    }

    public int beam() {
        return beam;
    }

    public double slack() {
        return slack;
    }

    /**
     * Centroids compared with rows so far, over all calls (a one-level model: 0). Divided by the
     * rows assigned it explains the rate: the cost of a row follows the fan-out of the clusters
     * its beam enters, not just the beam width.
     */
    public long centroidsCompared() {
        return compared;
    }

    @Override
    public LeafAssignment assign(FloatMatrix rows) {
        if (exact != null) {
            return exact.assign(rows);
        }
        Queries.checkDim(tree, rows);
        int n = rows.rows();
        float[] q = rows.data();
        if (tree.metric() == Metric.COSINE) {
            if (queries.length < n * dim) {
                queries = new float[n * dim];
            }
            Queries.normalizedInto(rows, queries);
            q = queries;
        }
        if (norms.length < n) {
            norms = new float[n];
        }
        for (int r = 0; r < n; r++) {
            norms[r] = Queries.normSquared(q, r * dim, dim);
        }
        RowBeams beams = rankTops(q, n);
        for (int t = tree.depth() - 2; t >= 0; t--) {
            if (slack > 0) {
                narrow(beams, n);
            }
            // at the leaf level only the nearest survives
            beams = descend(q, n, beams, index.blocks[t], t == 0 ? 1 : capacity);
        }
        int[] leaf = new int[n];
        float[] dist = new float[n];
        for (int r = 0; r < n; r++) {
            leaf[r] = beams.index(r, 0);
            dist[r] = Math.max(0f, norms[r] + beams.dist(r, 0));
        }
        return new LeafAssignment(leaf, dist);
    }

    /**
     * Drops from each row's beam the clusters farther than (1 + slack) times its nearest, in squared
     * distance (the beam holds ||c||^2 - 2 x.c; the row's squared norm makes it a distance). The beam
     * is sorted, so this keeps a prefix; the nearest always stays.
     */
    private void narrow(RowBeams beams, int n) {
        for (int r = 0; r < n; r++) {
            int size = beams.size(r);
            if (size < 2) {
                continue;
            }
            double limit = (1 + slack) * Math.max(0.0, (double) beams.dist(r, 0) + norms[r]) - norms[r];
            int keep = 1;
            while (keep < size && beams.dist(r, keep) <= limit) {
                keep++;
            }
            beams.truncate(r, keep);
        }
    }

    /** The best top clusters of every row, from one kernel call per chunk of rows. */
    private RowBeams rankTops(float[] q, int n) {
        current.reset(n, capacity);
        int[] topId = index.topId;
        float[] topNormSq = index.topNormSq;
        int topRows = index.topRows;
        for (int first = 0; first < n; first += topRows) {
            int count = Math.min(topRows, n - first);
            kernel.dotsTransposed(q, first * dim, count, index.topBlock, dots);
            for (int r = 0; r < count; r++) {
                offerRow(current, first + r, topNormSq, topId, 0, r * topId.length, topId.length);
            }
        }
        compared += (long) n * topId.length;
        return current;
    }

    /** One level down for the whole batch: each parent's children times all rows whose beam holds it. */
    private RowBeams descend(float[] q, int n, RowBeams from, ChildBlocks level, int width) {
        RowBeams to = from == current ? next : current;
        to.reset(n, width);
        int parents = level.first.length - 1;
        groups.build(from, n, parents);
        for (int p = 0; p < parents; p++) {
            int rowsFrom = groups.start[p];
            int rowsTo = groups.start[p + 1];
            if (rowsFrom == rowsTo) {
                continue;
            }
            int first = level.first[p];
            int children = level.first[p + 1] - first;
            int chunk = Math.max(1, BeamIndex.MAX_DOTS / children);
            for (int g = rowsFrom; g < rowsTo; g += chunk) {
                int k = Math.min(chunk, rowsTo - g);
                if (k == 1) {
                    kernel.dotsTransposed(q, groups.rows[g] * dim, 1, level.block[p], dots);
                } else {
                    kernel.dotsTransposed(gather(q, g, k), 0, k, level.block[p], dots);
                }
                if (width == 1) {
                    offerNearest(to, g, k, level, first, children);
                } else {
                    for (int i = 0; i < k; i++) {
                        offerRow(to, groups.rows[g + i], level.normSq, level.child, first, i * children, children);
                    }
                }
                compared += (long) k * children;
            }
        }
        return to;
    }

    /**
     * Offers a row's n candidates (distance normSq[c + j] - 2 dots[o + j], cluster ids[c + j]).
     * With a beam of two, the best two are found in a plain scan first and only they are offered:
     * a beam comparison per candidate was most of the descent outside the kernel (JFR). Candidates
     * come by increasing index, so the strict comparisons keep the lower index among equal
     * distances, as the beam's (distance, index) order does; a row with a NaN or infinite distance
     * among them (only from rows far outside float range) takes the beam's own path.
     */
    private void offerRow(RowBeams to, int row, float[] normSq, int[] ids, int c, int o, int n) {
        if (to.width() == 2) {
            float b0 = Float.POSITIVE_INFINITY;
            float b1 = Float.POSITIVE_INFINITY;
            int c0 = -1;
            int c1 = -1;
            boolean nan = false;
            for (int j = 0; j < n; j++) {
                float d = normSq[c + j] - 2f * dots[o + j];
                if (d < b1) {
                    if (d < b0) {
                        b1 = b0;
                        c1 = c0;
                        b0 = d;
                        c0 = j;
                    } else {
                        b1 = d;
                        c1 = j;
                    }
                } else if (d != d) {
                    nan = true;
                }
            }
            if (!nan && c0 >= 0 && (c1 >= 0 || n == 1)) {
                to.offer(row, b0, ids[c + c0]);
                if (c1 >= 0) {
                    to.offer(row, b1, ids[c + c1]);
                }
                return;
            }
        }
        for (int j = 0; j < n; j++) {
            to.offer(row, normSq[c + j] - 2f * dots[o + j], ids[c + j]);
        }
    }

    /**
     * The leaf level keeps one candidate a row: each row's nearest child of this parent is found in
     * a plain scan and only it is offered, where offering every child cost a beam comparison per
     * candidate (a fifth of the descent, JFR). A parent's children are stored by increasing index
     * ({@link ChildBlocks}), so the strict comparison keeps the lowest index among equal distances,
     * as the beam's (distance, index) order does; a NaN or infinite distance is the nearest only
     * of a row that has nothing else.
     */
    private void offerNearest(RowBeams to, int g, int k, ChildBlocks level, int first, int children) {
        float[] normSq = level.normSq;
        for (int i = 0; i < k; i++) {
            int o = i * children;
            float best = Float.POSITIVE_INFINITY;
            int at = -1;
            for (int c = 0; c < children; c++) {
                float d = normSq[first + c] - 2f * dots[o + c];
                if (d < best) {
                    best = d;
                    at = c;
                }
            }
            if (at < 0) {
                // no finite distance (a row far outside float range): offered as before, so it still gets a leaf
                at = 0;
                best = normSq[first] - 2f * dots[o];
            }
            to.offer(groups.rows[g + i], best, level.child[first + at]);
        }
    }

    /** Copies the k rows listed at groups.rows[g..g + k) next to each other, as the kernel reads A. */
    private float[] gather(float[] q, int g, int k) {
        if (gathered.length < k * dim) {
            gathered = new float[k * dim];
        }
        for (int i = 0; i < k; i++) {
            System.arraycopy(q, groups.rows[g + i] * dim, gathered, i * dim, dim);
        }
        return gathered;
    }

    @Override
    public void close() {
        if (exactNearest != null) {
            exactNearest.close();
        }
    }
}
