package dev.strata.job;

import dev.strata.sampling.Uniform;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;

/**
 * One top cluster's adaptive admission within one window, over the keyed state of the
 * {@link WindowedAdmissionFunction} (the current key is a (window, top cluster)): its counters
 * and its leaves' reserves, under the single horizon's state names and types. The decisions are
 * {@link TopAdmission}'s, as in {@link AdaptiveAdmissionFunction}, and as there the counters are
 * held on the heap between checkpoints: a subtree's arrays (de)serialised through RocksDB on every
 * item would cost far more than the decision. {@link #writeBack} puts the changed ones into keyed
 * state before every checkpoint barrier ({@link WindowedAdmissionOperator}); the heap holds the
 * open windows' counters only, as a window's are dropped when it closes.
 */
final class SubtreeAdmission {
    /** Name of the per-top-cluster counters' state (the operator lists its keys at the end of input). */
    static final String COUNTERS = "top-counters";

    private final TopAdmission admission;
    private final CuratedJson json;
    private final long seed;
    private final ValueState<TopCounters> counters;
    private final MapState<Integer, LeafReserve> reserves;
    private boolean started;
    /** Counters by key (window, top cluster) on the heap, and the keys changed since the last write-back. */
    private final Map<Long, TopCounters> live = new HashMap<>();

    private final Set<Long> dirty = new HashSet<>();

    SubtreeAdmission(RuntimeContext rc, TopAdmission admission, CuratedJson json, long seed) {
        this.admission = admission;
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
    TopAdmission.Decision admit(long key, AssignedItem item, TopPlan plan, Consumer<CuratedEvent> accepted)
            throws Exception {
        TopCounters c = live.get(key);
        started = false;
        if (c == null) {
            c = counters.value();
            started = c == null;
            if (started) {
                c = admission.counters(item.top);
            }
            live.put(key, c);
        }
        TopAdmission.Decision d = admission.decide(c, item.leaf, item.top, plan, Uniform.of(seed, item.id));
        if (d != TopAdmission.Decision.ACCEPTED) {
            reserve(c, item, plan);
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
    private void reserve(TopCounters c, AssignedItem item, TopPlan plan) throws Exception {
        double priority = LeafReserve.priority(seed, item.id);
        long room = admission.reserveRoomFor(c, item.leaf, item.top, plan, priority);
        if (room < 0) {
            return;
        }
        int pos = admission.position(item.leaf);
        LeafReserve r = reserves.get(pos);
        if (r == null) {
            r = new LeafReserve();
        }
        if (r.offer(priority, item.id, json.of(item), room)) {
            if (r.size() == 0) {
                reserves.remove(pos);
            } else {
                reserves.put(pos, r);
            }
            c.reserveChanged(pos, r);
        }
    }

    /**
     * The top-up of top cluster {@code top} under its final plan: {@link TopAdmission#topUp} says
     * how many reserved candidates each leaf gives, lowest priorities first; each goes to
     * {@code out}. Returns how many.
     */
    int topUp(long key, int top, TopPlan plan, Consumer<CuratedEvent> out) throws Exception {
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
            LeafReserve r = reserves.get(pos);
            for (CuratedEvent e : r.take((int) take[pos])) {
                out.accept(e);
                given++;
            }
            if (r.size() == 0) {
                reserves.remove(pos);
            } else {
                reserves.put(pos, r);
            }
            c.reserveChanged(pos, r);
        }
        dirty.add(key);
        return given;
    }

    /** Whether the last {@link #admit} was the first item of the current key (it created the key's state). */
    boolean started() {
        return started;
    }

    /** Forgets the counters and reserves of {@code key}, the current key (a window that closed). */
    void clear(long key) {
        live.remove(key);
        dirty.remove(key);
        counters.clear();
        reserves.clear();
    }

    /**
     * Writes the counters changed since the last call into keyed state, selecting each one's key
     * with {@code selectKey}: before every checkpoint barrier, so each checkpoint holds exactly
     * what the heap held, and a restore starts from there.
     */
    void writeBack(Consumer<Long> selectKey) throws Exception {
        for (Long key : dirty) {
            selectKey.accept(key);
            counters.update(live.get(key));
        }
        dirty.clear();
    }
}
