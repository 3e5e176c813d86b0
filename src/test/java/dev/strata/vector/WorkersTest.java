package dev.strata.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Test;

class WorkersTest {

    @Test
    void everyTaskRunsOnceWhateverTheThreadCount() {
        for (int threads = 1; threads <= 4; threads++) {
            AtomicLongArray runs = new AtomicLongArray(1000);
            try (Workers w = new Workers(threads)) {
                w.forEach(1000, i -> runs.incrementAndGet(i));
            }
            for (int i = 0; i < 1000; i++) {
                assertEquals(1, runs.get(i), "task " + i + " with " + threads + " threads");
            }
        }
    }

    /**
     * A task that runs forEach on the same workers (a k-means step calling the nearest-centroid
     * search) finishes even when every pooled thread is busy with an outer task: the time limit
     * only turns a deadlock into a failure.
     */
    @Test
    void nestedCallsOnTheSameWorkersDoNotDeadlock() {
        AtomicLongArray runs = new AtomicLongArray(64 * 64);
        assertTimeoutPreemptively(Duration.ofMinutes(2), () -> {
            try (Workers w = new Workers(3)) {
                w.forEach(64, outer -> w.forEach(64, inner -> runs.incrementAndGet(outer * 64 + inner)));
            }
        });
        for (int i = 0; i < runs.length(); i++) {
            assertEquals(1, runs.get(i));
        }
    }

    @Test
    void aFailingTaskFailsTheCall() {
        try (Workers w = new Workers(2)) {
            IllegalStateException e = assertThrows(
                    IllegalStateException.class,
                    () -> w.forEach(100, i -> {
                        if (i == 37) {
                            throw new IllegalStateException("task 37");
                        }
                    }));
            assertEquals("task 37", e.getMessage());
        }
    }
}
