package dev.strata.job;

import dev.strata.sampling.Uniform;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;

/**
 * One top cluster's adaptive admission over keyed state: its counters and its leaves' reserves,
 * the decisions being {@link TopAdmission}'s. The key is the top cluster in
 * {@link AdaptiveAdmissionFunction} (one horizon) and a (window, top cluster) in
 * {@link WindowedAdmissionFunction}; both use these state names and types. The counters are held
 * on the heap between checkpoints: a top cluster's counters hold a few arrays of its L leaves and
 * the heavy top clusters get most items, so (de)serialising them through RocksDB on every item
 * would cost far more than the decision. {@link #writeBack} puts the changed ones into keyed state
 * before every checkpoint barrier ({@link AdaptiveAdmissionOperator},
 * {@link WindowedAdmissionOperator}), so each checkpoint holds exactly what the heap held; the heap
 * holds at most one value per key of the task (a closed window's are dropped).
 *
 * <p>The leaves' reserves are cached the same way, but only for one checkpoint interval: a reserve
 * holds up to a leaf's unused quota of candidates (ids and curated records), so the whole of them
 * belongs in the state backend, not the heap; yet a busy leaf's reserve changes many times per
 * interval, and reading and rewriting all of it through RocksDB on each change cost a third of the
 * admission's time (docs/benchmarks.md). The reserves changed since the last write-back are held
 * on the heap, written at the next one and dropped from the heap.
 *
 * @param <K> the key type of the operator it runs in
 */
final class SubtreeAdmission<K> {
    /** Name of the per-top-cluster counters' state (the operator lists its keys at the end of input). */
    static final String COUNTERS = "top-counters";

    private final TopAdmission admission;
    private final IntFunction<TopCounters> fresh;
    private final CuratedJson json;
    private final long seed;
    private final ValueState<TopCounters> counters;
    private final MapState<Integer, LeafReserve> reserves;
    private boolean started;
    /** Counters by key on the heap, and the keys changed since the last write-back. */
    private final Map<K, TopCounters> live = new HashMap<>();

    private final Set<K> dirty = new HashSet<>();

    /** Reserves read since the last write-back, by key and leaf position; all are written back. */
    private final Map<K, Map<Integer, LeafReserve>> touchedReserves = new HashMap<>();

    /** @param fresh the counters of a top cluster whose key has no state yet */
    SubtreeAdmission(
            RuntimeContext rc, TopAdmission admission, IntFunction<TopCounters> fresh, CuratedJson json, long seed) {
        this.admission = admission;
        this.fresh = fresh;
        this.json = json;
        this.seed = seed;
        counters = rc.getState(new ValueStateDescriptor<>(COUNTERS, TypeInformation.of(TopCounters.class)));
        reserves = rc.getMapState(
                new MapStateDescriptor<>("leaf-reserves", Types.INT, TypeInformation.of(LeafReserve.class)));
    }

    /**
     * Decides {@code item} under {@code plan}; a refused item is offered to its leaf's reserve.
     * Returns the decision; an accepted item's curated record goes to {@code accepted}.
     */
    TopAdmission.Decision admit(K key, AssignedItem item, TopPlan plan, Consumer<CuratedEvent> accepted)
            throws Exception {
        TopCounters c = live.get(key);
        started = false;
        if (c == null) {
            c = counters.value();
            started = c == null;
            if (started) {
                c = fresh.apply(item.top);
            }
            live.put(key, c);
        }
        TopAdmission.Decision d = admission.decide(c, item.leaf, item.top, plan, Uniform.of(seed, item.id));
        if (d != TopAdmission.Decision.ACCEPTED) {
            reserve(key, c, item, plan);
        }
        dirty.add(key);
        if (d == TopAdmission.Decision.ACCEPTED) {
            accepted.accept(new CuratedEvent(item.id, json.of(item)));
        }
        return d;
    }

    /**
     * Offers a refused item to its leaf's reserve; most are turned away by the two numbers the
     * counters keep (size, worst priority held), without reading the reserve.
     */
    private void reserve(K key, TopCounters c, AssignedItem item, TopPlan plan) throws Exception {
        double priority = LeafReserve.priority(seed, item.id);
        long room = admission.reserveRoomFor(c, item.leaf, item.top, plan, priority);
        if (room < 0) {
            return;
        }
        int pos = admission.position(item.leaf);
        LeafReserve r = touchedReserve(key, pos);
        if (r.offer(priority, item.id, json.of(item), room)) {
            c.reserveChanged(pos, r);
        }
    }

    /** The reserve of leaf {@code pos} of {@code key} (the current key): from the heap if touched, else from state. */
    private LeafReserve touchedReserve(K key, int pos) throws Exception {
        Map<Integer, LeafReserve> byLeaf = touchedReserves.computeIfAbsent(key, k -> new HashMap<>());
        LeafReserve r = byLeaf.get(pos);
        if (r == null) {
            r = reserves.get(pos);
            if (r == null) {
                r = new LeafReserve();
            }
            byLeaf.put(pos, r);
        }
        return r;
    }

    /**
     * The top-up of top cluster {@code top} ({@code key}, the current key) under its final plan:
     * {@link TopAdmission#topUp} says how many reserved candidates each leaf gives, lowest
     * priorities first; each goes to {@code out}. The counters are written through to keyed state.
     * Returns how many.
     */
    int topUp(K key, int top, TopPlan plan, Consumer<CuratedEvent> out) throws Exception {
        TopCounters c = live.containsKey(key) ? live.get(key) : counters.value();
        if (c == null) {
            return 0;
        }
        long[] take = admission.topUp(c, top, plan);
        int given = 0;
        for (int pos = 0; pos < take.length; pos++) {
            if (take[pos] == 0) {
                continue;
            }
            LeafReserve r = touchedReserve(key, pos);
            for (CuratedEvent e : r.take((int) take[pos])) {
                out.accept(e);
                given++;
            }
            c.reserveChanged(pos, r);
        }
        writeReserves(key);
        counters.update(c);
        return given;
    }

    /** Whether the last {@link #admit} was the first item of the current key (it created the key's state). */
    boolean started() {
        return started;
    }

    /** Keys whose counters are held on the heap (for a gauge: with windows, the open windows' top clusters). */
    int held() {
        return live.size();
    }

    /** Forgets the counters and reserves of {@code key}, the current key (a window that closed). */
    void clear(K key) {
        live.remove(key);
        dirty.remove(key);
        touchedReserves.remove(key);
        counters.clear();
        reserves.clear();
    }

    /**
     * Writes the counters changed since the last call into keyed state, selecting each one's key
     * with {@code selectKey}: before every checkpoint barrier (and, for one horizon, at the end of
     * the input), so each checkpoint holds exactly what the heap held, and a restore starts from
     * there. The function using this must run inside an operator that calls it: Flink's plain
     * keyed broadcast operator would checkpoint without the heap's counters.
     */
    void writeBack(Consumer<K> selectKey) throws Exception {
        for (K key : dirty) {
            selectKey.accept(key);
            counters.update(live.get(key));
            writeReserves(key);
        }
        dirty.clear();
        // a reserve is only touched by an item of a key marked dirty, or by a top-up, which writes its own
        touchedReserves.clear();
    }

    /** Puts the touched reserves of {@code key} (the current key) into keyed state and drops them from the heap. */
    private void writeReserves(K key) throws Exception {
        Map<Integer, LeafReserve> byLeaf = touchedReserves.remove(key);
        if (byLeaf == null) {
            return;
        }
        for (Map.Entry<Integer, LeafReserve> e : byLeaf.entrySet()) {
            if (e.getValue().size() == 0) {
                reserves.remove(e.getKey());
            } else {
                reserves.put(e.getKey(), e.getValue());
            }
        }
    }
}
