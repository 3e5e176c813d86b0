package dev.strata.vector;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.function.ObjIntConsumer;
import java.util.function.Supplier;

/**
 * The threads of one computation: T - 1 pooled threads plus the caller, which takes tasks like
 * the others, so T threads do the work and one k-means holds T threads, shared by its nearest
 * centroid search ({@link NearestCentroids}) and its own parallel steps. Work is always cut into
 * numbered tasks whose boundaries do not depend on the number of threads, and results are
 * combined in task order, so a run is reproducible whatever the thread count.
 *
 * <p>A task may itself call {@link #forEach}: the caller of every call works through all its
 * tasks when no pooled thread is free, and pooled runs that never started are withdrawn instead
 * of waited for, so nesting cannot deadlock.
 */
public final class Workers implements AutoCloseable {
    private final int threads;
    /** threads - 1 pooled threads; null for one thread. */
    private final ExecutorService pool;

    public Workers(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.threads = threads;
        if (threads == 1) {
            this.pool = null;
        } else {
            AtomicInteger ids = new AtomicInteger();
            this.pool = Executors.newFixedThreadPool(threads - 1, r -> {
                Thread t = new Thread(r, "strata-worker-" + ids.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        }
    }

    public int threads() {
        return threads;
    }

    /** Runs task(0..count-1), in parallel when there is more than one thread. */
    public void forEach(int count, IntConsumer task) {
        forEach(count, () -> null, (state, i) -> task.accept(i));
    }

    /**
     * Runs task(state, 0..count-1), where each thread that takes part gets one state of its own
     * from {@code perThread} (scratch buffers), reused for all the tasks it takes.
     */
    public <S> void forEach(int count, Supplier<S> perThread, ObjIntConsumer<S> task) {
        if (count <= 0) {
            return;
        }
        AtomicInteger next = new AtomicInteger();
        Runnable worker = () -> {
            S state = perThread.get();
            for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                task.accept(state, i);
            }
        };
        int helpers = pool == null ? 0 : Math.min(threads, count) - 1;
        if (helpers == 0) {
            worker.run();
            return;
        }
        // a pooled run claims its slot when it starts; the caller claims the slots of runs that
        // have not started once it is done, so those never start and are not waited for
        AtomicBoolean[] claimed = new AtomicBoolean[helpers];
        List<Future<?>> futures = new ArrayList<>(helpers);
        for (int w = 0; w < helpers; w++) {
            AtomicBoolean slot = claimed[w] = new AtomicBoolean();
            futures.add(pool.submit(() -> {
                if (slot.compareAndSet(false, true)) {
                    worker.run();
                }
            }));
        }
        Throwable failure = null;
        try {
            worker.run();
        } catch (Throwable t) {
            failure = t;
            next.set(count);
        }
        for (int w = 0; w < helpers; w++) {
            if (claimed[w].compareAndSet(false, true)) {
                futures.get(w).cancel(false); // never started: the tasks are done, or given up after a failure
                continue;
            }
            try {
                futures.get(w).get();
            } catch (ExecutionException e) {
                next.set(count);
                if (failure == null) {
                    failure = e.getCause();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                next.set(count);
                if (failure == null) {
                    failure = e;
                }
            }
        }
        if (failure instanceof RuntimeException re) {
            throw re;
        }
        if (failure instanceof Error err) {
            throw err;
        }
        if (failure != null) {
            throw new IllegalStateException("worker failed", failure);
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
