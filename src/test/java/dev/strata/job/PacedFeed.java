package dev.strata.job;

import dev.strata.kafka.EmbeddingPublisher;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * A crawler stand-in for fault tests: sends every row of the fixture once, in a seeded shuffled
 * order, at a steady rate, on its own thread; from {@code holdAt} rows on it slows to a trickle
 * (10 records/s) until released. The trickle makes "the fault came before the end of the input"
 * a fact rather than a race, while records still flow through the job when the fault hits (an
 * idle job has nothing in flight to lose). Every send's acknowledgement is checked, so a record
 * the producer lost cannot pass for one the job lost.
 */
final class PacedFeed {
    private final JobFixture fx;
    private final String bootstrap;
    private final String topic;
    private final List<Integer> order = new ArrayList<>();
    private final double rate;
    private final int holdAt;
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicInteger acked = new AtomicInteger();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Thread thread;
    /** The Kafka timestamp of the record sent at each position of the order, or null for the producer's clock. */
    private final java.util.function.IntToLongFunction timestampAt;

    PacedFeed(JobFixture fx, String bootstrap, String topic, long seed, double rate, int holdAt) {
        this(fx, bootstrap, topic, seed, rate, holdAt, null);
    }

    /** A feed whose records carry explicit timestamps, by position in the send order (event-time windows). */
    PacedFeed(
            JobFixture fx,
            String bootstrap,
            String topic,
            long seed,
            double rate,
            int holdAt,
            java.util.function.IntToLongFunction timestampAt) {
        this.timestampAt = timestampAt;
        this.fx = fx;
        this.bootstrap = bootstrap;
        this.topic = topic;
        for (int i = 0; i < fx.n; i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(seed));
        this.rate = rate;
        this.holdAt = holdAt;
        this.thread = new Thread(this::run, "feed-" + topic);
        thread.setDaemon(true);
    }

    PacedFeed start() {
        thread.start();
        return this;
    }

    /** The row sent at {@code position} of the order. */
    int row(int position) {
        return order.get(position);
    }

    /** Rows handed to the producer so far. */
    int sent() {
        return sent.get();
    }

    void release() {
        release.countDown();
    }

    /** Releases the hold, waits for the last acknowledgement and fails if any send failed. */
    void finish() throws InterruptedException {
        release();
        thread.join(180_000);
        if (thread.isAlive()) {
            throw new AssertionError(
                    "the feed to " + topic + " did not finish: " + acked.get() + " of " + fx.n + " acknowledged");
        }
        if (failure.get() != null) {
            throw new AssertionError("producing to " + topic + " failed", failure.get());
        }
        if (acked.get() != fx.n) {
            throw new AssertionError(acked.get() + " of " + fx.n + " records acknowledged");
        }
    }

    private void run() {
        long start = System.nanoTime();
        Properties config = EmbeddingPublisher.producerConfig(bootstrap);
        // a crawler that waits out a broker restart: a broker recovering its log after a kill -9
        // can answer before it leads every partition, and a send blocks on metadata until then
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "180000");
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "180000");
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(config)) {
            for (int row : order) {
                if (sent.get() >= holdAt && release.getCount() > 0) {
                    // a trickle until released: one record per 100 ms
                    release.await(100, TimeUnit.MILLISECONDS);
                    start = System.nanoTime() - (long) (sent.get() / rate * 1e9); // the full rate again from here
                }
                org.apache.kafka.clients.producer.ProducerRecord<byte[], byte[]> rec = fx.record(topic, row);
                if (timestampAt != null) {
                    rec = new org.apache.kafka.clients.producer.ProducerRecord<>(
                            topic, null, timestampAt.applyAsLong(sent.get()), rec.key(), rec.value(), rec.headers());
                }
                p.send(rec, (meta, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    } else {
                        acked.incrementAndGet();
                    }
                });
                long wait = start + (long) (sent.incrementAndGet() / rate * 1e9) - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            }
        } catch (Throwable t) {
            failure.compareAndSet(null, t);
        }
    }
}
