package dev.strata.kafka;

import dev.strata.StrataException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * The few admin calls the commands need, with errors turned into one-line StrataExceptions
 * (no broker, no such topic) instead of a 60 s hang and a stack trace.
 */
public final class KafkaTopics {
    private static final long CALL_TIMEOUT_MS = 15_000;

    private KafkaTopics() {}

    /** An admin client that gives up in seconds, not the client default of a minute. */
    public static Admin admin(String bootstrapServers) {
        return admin(KafkaConnection.plain(bootstrapServers));
    }

    /** The same with the connection's client properties (security, config providers). */
    public static Admin admin(KafkaConnection kafka) {
        Properties p = kafka.clientProperties();
        p.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "strata-admin");
        p.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, String.valueOf(CALL_TIMEOUT_MS));
        return Admin.create(p);
    }

    /**
     * Creates the topics that do not exist yet and leaves existing ones as they are.
     *
     * @return the names of the topics this call created
     */
    public static List<String> createTopics(String bootstrapServers, List<NewTopic> topics) {
        return createTopics(KafkaConnection.plain(bootstrapServers), topics);
    }

    public static List<String> createTopics(KafkaConnection kafka, List<NewTopic> topics) {
        Admin admin = admin(kafka);
        try {
            return createTopics(admin, kafka.toString(), topics);
        } finally {
            close(admin);
        }
    }

    public static List<String> createTopics(Admin admin, String bootstrapServers, List<NewTopic> topics) {
        List<String> created = new ArrayList<>();
        var futures = admin.createTopics(topics).values();
        for (NewTopic t : topics) {
            try {
                futures.get(t.name()).get(CALL_TIMEOUT_MS, TimeUnit.MILLISECONDS);
                created.add(t.name());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw fail("cannot create topic '" + t.name() + "'", bootstrapServers, e.getCause());
                }
            } catch (java.util.concurrent.TimeoutException e) {
                throw noBroker(bootstrapServers);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StrataException("interrupted while creating topic '" + t.name() + "'");
            }
        }
        awaitVisible(admin, bootstrapServers, created);
        return created;
    }

    /**
     * Waits until every broker the admin asks can describe the topics: a KRaft controller answers
     * a creation once it is committed, and the brokers learn of it from the metadata log a moment
     * later, so a describe or a produce right after the creation could still hear "unknown topic".
     */
    private static void awaitVisible(Admin admin, String bootstrapServers, List<String> topics) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CALL_TIMEOUT_MS);
        for (String topic : topics) {
            while (true) {
                try {
                    admin.describeTopics(Set.of(topic)).allTopicNames().get(CALL_TIMEOUT_MS, TimeUnit.MILLISECONDS);
                    break;
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                        throw fail(
                                "topic '" + topic + "' was created but cannot be described",
                                bootstrapServers,
                                e.getCause());
                    }
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        throw new StrataException("interrupted while waiting for topic '" + topic + "'");
                    }
                } catch (java.util.concurrent.TimeoutException e) {
                    throw noBroker(bootstrapServers);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new StrataException("interrupted while waiting for topic '" + topic + "'");
                }
            }
        }
    }

    /** Partitions of an existing topic; a StrataException naming the fix when it does not exist. */
    public static TopicDescription describe(Admin admin, String bootstrapServers, String topic) {
        try {
            Map<String, TopicDescription> d =
                    admin.describeTopics(Set.of(topic)).allTopicNames().get(CALL_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            return d.get(topic);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw new StrataException("topic '" + topic + "' does not exist on " + bootstrapServers
                        + "; check --topic, or create it (`strata kafka start` creates the default topics)");
            }
            throw fail("cannot describe topic '" + topic + "'", bootstrapServers, e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw noBroker(bootstrapServers);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StrataException("interrupted while describing topic '" + topic + "'");
        }
    }

    /** Whether the topic's cleanup.policy includes compact, i.e. it is meant as an upsert changelog. */
    public static boolean isCompacted(Admin admin, String bootstrapServers, String topic) {
        Config c = config(admin, bootstrapServers, topic);
        return c != null && isCompacted(c);
    }

    public static boolean isCompacted(Config c) {
        ConfigEntry policy = c.get(TopicConfig.CLEANUP_POLICY_CONFIG);
        return policy != null && policy.value() != null && policy.value().contains(TopicConfig.CLEANUP_POLICY_COMPACT);
    }

    /** The topic's effective configuration (broker defaults filled in), or null when the topic does not exist. */
    public static Config config(Admin admin, String bootstrapServers, String topic) {
        ConfigResource res = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        try {
            return admin.describeConfigs(Set.of(res))
                    .all()
                    .get(CALL_TIMEOUT_MS, TimeUnit.MILLISECONDS)
                    .get(res);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return null;
            }
            throw fail("cannot read the config of topic '" + topic + "'", bootstrapServers, e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw noBroker(bootstrapServers);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StrataException("interrupted while reading topic '" + topic + "'");
        }
    }

    /** Close quickly: an admin client waiting on a dead broker would otherwise hold the exit. */
    public static void close(Admin admin) {
        admin.close(Duration.ofSeconds(2));
    }

    public static StrataException noBroker(String bootstrapServers) {
        return new StrataException("no Kafka broker answers at " + bootstrapServers
                + "; start one with `strata kafka start` or fix --bootstrap-servers");
    }

    private static StrataException fail(String what, String bootstrapServers, Throwable cause) {
        if (cause instanceof TimeoutException) {
            return noBroker(bootstrapServers);
        }
        return new StrataException(what + " on " + bootstrapServers + ": " + cause.getMessage(), cause);
    }
}
