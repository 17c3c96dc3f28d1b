package io.provisioninghub.connectors.events;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.apache.camel.CamelContext;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.component.kafka.KafkaConfiguration;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * {@code hub.kafka.consumer.lag} (Prometheus {@code hub_kafka_consumer_lag}, labels {@code group} and {@code topic}):
 * the records a consumer group has not consumed yet, summed over the topic's partitions: end offset minus the
 * group's committed offset, or minus the partition's beginning offset where the group committed none. A topic that
 * does not exist yet has a lag of 0.
 * <p>
 * The groups and topics are the application's (given to the constructor). A background thread ({@code hub-kafka-lag})
 * reads the offsets with a Kafka {@link Admin} client every {@code refreshInterval}, the first time as soon as the
 * binder is bound; a scrape only reads the last values, and nothing here blocks the application's start. Until the
 * first successful read a gauge is NaN. When Kafka cannot be read (down, timed out, refused) the gauges keep their last
 * values and one WARN line is logged at most every minute, with the reason but no stack trace; the Admin client is
 * then closed and made again for the next read, so it does not keep reconnecting in between.
 * <p>
 * Every Admin call is bounded by {@code timeout}; {@link #close()} stops the thread and closes the client.
 */
public final class KafkaConsumerLagMetrics implements MeterBinder, AutoCloseable {

    public static final String METRIC = "hub.kafka.consumer.lag";
    /** Default bound of each Admin call. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration WARN_EVERY = Duration.ofMinutes(1);

    private static final Logger LOG = LoggerFactory.getLogger(KafkaConsumerLagMetrics.class);

    private final Supplier<Map<String, Object>> adminSettings;
    private final Map<String, Set<String>> topicsByGroup;
    private final Duration refreshInterval;
    private final Duration timeout;
    /** One holder per (group, topic), fixed at construction: the gauges read them. */
    private final Map<Key, Lag> lags = new LinkedHashMap<>();

    private ScheduledExecutorService refresher;
    private volatile boolean closed;
    // Used by the refresher thread, and by close() once that has stopped.
    private volatile Admin admin;
    private long lastWarnNanos;
    private boolean warned;
    private volatile long failedReads;

    /**
     * @param adminSettings   the Admin client's settings, asked for on the background thread each time a client is
     *                        made (e.g. {@link #adminSettingsOf(CamelContext)}); short timeouts are added to them
     * @param topicsByGroup   consumer group → topics it reads
     * @param refreshInterval time between two reads
     * @param timeout         bound of each Admin call
     */
    public KafkaConsumerLagMetrics(Supplier<Map<String, Object>> adminSettings, Map<String, Set<String>> topicsByGroup,
                                   Duration refreshInterval, Duration timeout) {
        if (refreshInterval.isNegative() || refreshInterval.isZero()) {
            throw new IllegalArgumentException("the refresh interval must be positive, not " + refreshInterval);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the timeout must be positive, not " + timeout);
        }
        this.adminSettings = adminSettings;
        this.refreshInterval = refreshInterval;
        this.timeout = timeout;
        Map<String, Set<String>> copy = new LinkedHashMap<>();
        topicsByGroup.forEach((group, topics) -> {
            copy.put(group, Set.copyOf(topics));
            topics.forEach(topic -> lags.put(new Key(group, topic), new Lag()));
        });
        this.topicsByGroup = Map.copyOf(copy);
    }

    public KafkaConsumerLagMetrics(Supplier<Map<String, Object>> adminSettings, Map<String, Set<String>> topicsByGroup,
                                   Duration refreshInterval) {
        this(adminSettings, topicsByGroup, refreshInterval, DEFAULT_TIMEOUT);
    }

    /**
     * The connection and security settings of camel-kafka's component ({@code camel.component.kafka.brokers},
     * {@code security-protocol}, {@code sasl-*}, {@code ssl-*} and such of its {@code additional-properties}), so the
     * Admin client reaches the same cluster, with the same credentials, as the application's consumers.
     */
    public static Map<String, Object> adminSettingsOf(CamelContext camel) {
        return adminSettingsOf(camel.getComponent("kafka", KafkaComponent.class).getConfiguration());
    }

    static Map<String, Object> adminSettingsOf(KafkaConfiguration configuration) {
        Map<String, Object> settings = new HashMap<>();
        Properties consumer = configuration.createConsumerProperties();
        Set<String> adminNames = AdminClientConfig.configNames();
        // Values as they are: some (sasl.jaas.config, ssl.*.password) may be Kafka Password objects, not strings.
        consumer.forEach((name, value) -> {
            if (name instanceof String key && adminNames.contains(key)
                    && (key.startsWith("security.") || key.startsWith("sasl.") || key.startsWith("ssl."))) {
                settings.put(key, value);
            }
        });
        if (configuration.getBrokers() != null && !configuration.getBrokers().isBlank()) {
            settings.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, configuration.getBrokers());
        }
        return settings;
    }

    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        lags.forEach((key, lag) -> Gauge.builder(METRIC, lag, Lag::value)
                .description("Records not yet consumed by the consumer group, summed over the topic's partitions")
                .tag("group", key.group())
                .tag("topic", key.topic())
                .strongReference(true)
                .register(registry));
        if (refresher == null && !closed && !lags.isEmpty()) {
            refresher = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "hub-kafka-lag");
                thread.setDaemon(true);
                return thread;
            });
            refresher.scheduleWithFixedDelay(this::refreshQuietly, 0, refreshInterval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** The last lag read for the group on the topic; NaN before the first successful read. */
    public double lag(String group, String topic) {
        Lag lag = lags.get(new Key(group, topic));
        return lag == null ? Double.NaN : lag.value;
    }

    /** Reads that failed since the start (for tests: the WARN is logged for the first of a minute only). */
    long failedReads() {
        return failedReads;
    }

    private void refreshQuietly() {
        try {
            refresh();
            if (warned) {
                warned = false;
                LOG.info("Kafka consumer lag read again");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            if (closed) {
                return; // cut short by close()
            }
            failedReads++;
            closeAdmin();
            long now = System.nanoTime();
            if (!warned || now - lastWarnNanos >= WARN_EVERY.toNanos()) {
                warned = true;
                lastWarnNanos = now;
                LOG.warn("Kafka consumer lag not read ({}); the gauges keep their last values", describe(e));
            } else {
                LOG.debug("Kafka consumer lag still not read ({})", describe(e));
            }
        }
    }

    /** One read of every group's lag; nothing is updated unless all of it was read. */
    void refresh() throws Exception {
        Admin client = admin();
        Set<String> topics = new LinkedHashSet<>();
        topicsByGroup.values().forEach(topics::addAll);

        Map<String, List<TopicPartition>> partitions = new HashMap<>();
        Map<String, KafkaFuture<TopicDescription>> described = client.describeTopics(topics).topicNameValues();
        for (String topic : topics) {
            try {
                TopicDescription description = get(described.get(topic));
                List<TopicPartition> list = new ArrayList<>();
                for (TopicPartitionInfo partition : description.partitions()) {
                    list.add(new TopicPartition(topic, partition.partition()));
                }
                partitions.put(topic, list);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
                partitions.put(topic, List.of()); // not created yet: nothing to consume
            }
        }

        Map<String, Map<TopicPartition, OffsetAndMetadata>> committed = new HashMap<>();
        Set<TopicPartition> uncommitted = new LinkedHashSet<>();
        Set<TopicPartition> all = new LinkedHashSet<>();
        for (Map.Entry<String, Set<String>> group : topicsByGroup.entrySet()) {
            Map<TopicPartition, OffsetAndMetadata> offsets =
                    get(client.listConsumerGroupOffsets(group.getKey()).partitionsToOffsetAndMetadata());
            committed.put(group.getKey(), offsets);
            for (String topic : group.getValue()) {
                for (TopicPartition partition : partitions.get(topic)) {
                    all.add(partition);
                    if (offsets.get(partition) == null) {
                        uncommitted.add(partition);
                    }
                }
            }
        }
        Map<TopicPartition, Long> ends = offsets(client, all, OffsetSpec.latest());
        Map<TopicPartition, Long> beginnings = offsets(client, uncommitted, OffsetSpec.earliest());

        Map<Key, Long> read = new HashMap<>();
        for (Map.Entry<String, Set<String>> group : topicsByGroup.entrySet()) {
            Map<TopicPartition, OffsetAndMetadata> offsets = committed.get(group.getKey());
            for (String topic : group.getValue()) {
                long sum = 0;
                for (TopicPartition partition : partitions.get(topic)) {
                    OffsetAndMetadata commit = offsets.get(partition);
                    long from = commit != null ? commit.offset() : beginnings.get(partition);
                    sum += Math.max(0, ends.get(partition) - from);
                }
                read.put(new Key(group.getKey(), topic), sum);
            }
        }
        read.forEach((key, value) -> lags.get(key).value = value);
    }

    private Map<TopicPartition, Long> offsets(Admin client, Set<TopicPartition> partitions, OffsetSpec spec)
            throws Exception {
        if (partitions.isEmpty()) {
            return Map.of();
        }
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(partition -> request.put(partition, spec));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> result = get(client.listOffsets(request).all());
        Map<TopicPartition, Long> offsets = new HashMap<>();
        result.forEach((partition, info) -> offsets.put(partition, info.offset()));
        return offsets;
    }

    private <T> T get(KafkaFuture<T> future) throws ExecutionException, InterruptedException, TimeoutException {
        return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private Admin admin() {
        if (admin == null) {
            Map<String, Object> settings = new HashMap<>(adminSettings.get());
            int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
            settings.put(AdminClientConfig.CLIENT_ID_CONFIG, "hub-consumer-lag");
            settings.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis);
            settings.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis);
            settings.put(AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG, (long) millis);
            settings.put(AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG, (long) millis);
            // A broker that is down is tried once per read, not every 50 ms and more: Kafka's NetworkClient logs a
            // WARN of its own for each failed connection (the client is made again for the next read).
            settings.put(AdminClientConfig.RECONNECT_BACKOFF_MS_CONFIG, (long) millis);
            settings.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, (long) millis);
            admin = Admin.create(settings);
        }
        return admin;
    }

    private void closeAdmin() {
        Admin client = admin;
        admin = null;
        if (client != null) {
            try {
                client.close(Duration.ZERO);
            } catch (RuntimeException e) {
                LOG.debug("Closing the Kafka Admin client failed", e);
            }
        }
    }

    /** Stops reading and closes the Admin client; the gauges keep their last values. Idempotent. */
    @Override
    public void close() {
        ScheduledExecutorService executor;
        synchronized (this) {
            closed = true;
            executor = refresher;
            refresher = null;
        }
        if (executor != null) {
            executor.shutdownNow();
            try {
                if (!executor.awaitTermination(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS)) {
                    LOG.debug("The Kafka lag reader did not stop in time");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // The refresher has stopped (or is stuck past its bound): the client is no longer used.
        closeAdmin();
    }

    /** Class and message of the innermost cause (Kafka's messages name calls and nodes, not data). */
    private static String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }

    private record Key(String group, String topic) {
    }

    private static final class Lag {
        volatile double value = Double.NaN;

        double value() {
            return value;
        }
    }
}
