package io.provisioninghub.connectors.broker;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import org.apache.activemq.artemis.api.core.management.ResourceNames;
import org.apache.activemq.artemis.api.jms.management.JMSManagementHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jms.connection.SingleConnectionFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code hub.artemis.queue.messages} (Prometheus {@code hub_artemis_queue_messages}, label {@code queue}): the
 * messages in Artemis queues (Artemis' {@code messageCount}: scheduled, paged and in-delivery messages included),
 * one gauge per {@link QueueGroup}: a queue by its name, or the sum over every queue whose name starts with a prefix.
 * A queue that does not exist counts 0.
 * <p>
 * A background thread ({@code hub-artemis-depth}) asks the broker every {@code refreshInterval}, the first time as
 * soon as the binder is bound, through Artemis' management API over JMS: a request to the management address
 * {@value #MANAGEMENT_ADDRESS} ({@link ResourceNames#BROKER} {@code getQueueNames}, then
 * {@link ResourceNames#QUEUE}{@code <name>} attribute {@code messageCount} for each queue that matters), the answer on
 * a temporary queue, each awaited at most {@code timeout}, on a connection of its own from the application's
 * {@link ConnectionFactory} (Spring's caching wrapper is bypassed), closed after each read. A scrape only reads the
 * last values, and nothing here blocks the application's start. Until the first successful read a gauge is NaN. When
 * the broker cannot be read the gauges keep their last values and one WARN line is logged at most every minute, with
 * the reason but no stack trace.
 * <p>
 * On a broker with security on, the application's user needs the {@code manage} permission on
 * {@value #MANAGEMENT_ADDRESS} and may create and consume a temporary queue ({@code createNonDurableQueue},
 * {@code deleteNonDurableQueue}, {@code consume}).
 */
public final class ArtemisQueueMetrics implements MeterBinder, AutoCloseable {

    public static final String METRIC = "hub.artemis.queue.messages";
    /** Artemis' default management address ({@code management-address} in broker.xml). */
    public static final String MANAGEMENT_ADDRESS = "activemq.management";
    /** Default bound of each management request. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration WARN_EVERY = Duration.ofMinutes(1);

    private static final Logger LOG = LoggerFactory.getLogger(ArtemisQueueMetrics.class);

    /**
     * A gauge's label and the queues it counts: one queue by name, or every queue whose name starts with a prefix
     * (summed).
     */
    public record QueueGroup(String label, String name, String prefix) {

        public QueueGroup {
            Objects.requireNonNull(label, "label");
            if ((name == null) == (prefix == null) || (prefix != null && prefix.isEmpty())) {
                throw new IllegalArgumentException("a queue group has either a name or a non-empty prefix");
            }
        }

        /** The queue, labelled with its own name. */
        public static QueueGroup named(String queue) {
            return new QueueGroup(queue, queue, null);
        }

        /** Every queue whose name starts with {@code prefix}, summed under {@code label}. */
        public static QueueGroup prefixed(String label, String prefix) {
            return new QueueGroup(label, null, prefix);
        }

        boolean matches(String queue) {
            return name != null ? name.equals(queue) : queue.startsWith(prefix);
        }
    }

    private final ConnectionFactory connectionFactory;
    private final List<QueueGroup> groups;
    private final Duration refreshInterval;
    private final Duration timeout;
    private final Map<String, Depth> depths = new LinkedHashMap<>();

    private ScheduledExecutorService refresher;
    private volatile boolean closed;
    // Used by the refresher thread only.
    private long lastWarnNanos;
    private boolean warned;
    private volatile long failedReads;

    /**
     * @param connectionFactory the application's; a Spring {@link SingleConnectionFactory} (the caching one) is
     *                          unwrapped to the broker's own
     * @param groups            the gauges, by label (labels must differ)
     * @param refreshInterval   time between two reads
     * @param timeout           bound of each management request
     */
    public ArtemisQueueMetrics(ConnectionFactory connectionFactory, List<QueueGroup> groups, Duration refreshInterval,
                               Duration timeout) {
        if (refreshInterval.isNegative() || refreshInterval.isZero()) {
            throw new IllegalArgumentException("the refresh interval must be positive, not " + refreshInterval);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the timeout must be positive, not " + timeout);
        }
        this.connectionFactory = connectionFactory instanceof SingleConnectionFactory single
                && single.getTargetConnectionFactory() != null ? single.getTargetConnectionFactory() : connectionFactory;
        this.groups = List.copyOf(groups);
        this.refreshInterval = refreshInterval;
        this.timeout = timeout;
        for (QueueGroup group : this.groups) {
            if (depths.put(group.label(), new Depth()) != null) {
                throw new IllegalArgumentException("two queue groups labelled " + group.label());
            }
        }
    }

    public ArtemisQueueMetrics(ConnectionFactory connectionFactory, List<QueueGroup> groups, Duration refreshInterval) {
        this(connectionFactory, groups, refreshInterval, DEFAULT_TIMEOUT);
    }

    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        depths.forEach((label, depth) -> Gauge.builder(METRIC, depth, Depth::value)
                .description("Messages in the hub's Artemis queues")
                .tag("queue", label)
                .strongReference(true)
                .register(registry));
        if (refresher == null && !closed && !depths.isEmpty()) {
            refresher = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "hub-artemis-depth");
                thread.setDaemon(true);
                return thread;
            });
            refresher.scheduleWithFixedDelay(this::refreshQuietly, 0, refreshInterval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** The last count read for the label; NaN before the first successful read. */
    public double messages(String label) {
        Depth depth = depths.get(label);
        return depth == null ? Double.NaN : depth.value;
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
                LOG.info("Artemis queue depths read again");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            if (closed) {
                return; // cut short by close()
            }
            failedReads++;
            long now = System.nanoTime();
            if (!warned || now - lastWarnNanos >= WARN_EVERY.toNanos()) {
                warned = true;
                lastWarnNanos = now;
                LOG.warn("Artemis queue depths not read ({}); the gauges keep their last values", describe(e));
            } else {
                LOG.debug("Artemis queue depths still not read ({})", describe(e));
            }
        }
    }

    /** One read of every group; nothing is updated unless all of it was read. */
    void refresh() throws Exception {
        try (Connection connection = connectionFactory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TemporaryQueue replies = session.createTemporaryQueue();
            MessageProducer requests = session.createProducer(session.createQueue(MANAGEMENT_ADDRESS));
            requests.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
            MessageConsumer answers = session.createConsumer(replies);
            connection.start();
            Management management = new Management(session, requests, answers, replies);

            Object[] names = (Object[]) management.invoke(ResourceNames.BROKER, "getQueueNames");
            Map<String, Long> read = new HashMap<>();
            groups.forEach(group -> read.put(group.label(), 0L));
            List<String> wanted = new ArrayList<>();
            for (Object name : names) {
                String queue = String.valueOf(name);
                if (groups.stream().anyMatch(group -> group.matches(queue))) {
                    wanted.add(queue);
                }
            }
            for (String queue : wanted) {
                Long count = management.messageCount(queue);
                if (count == null) {
                    continue; // deleted since it was listed (e.g. an auto-created queue gone empty)
                }
                for (QueueGroup group : groups) {
                    if (group.matches(queue)) {
                        read.merge(group.label(), count, Long::sum);
                    }
                }
            }
            read.forEach((label, count) -> depths.get(label).value = count);
        }
    }

    /** Stops reading; the gauges keep their last values. Idempotent. */
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
                    LOG.debug("The Artemis depth reader did not stop in time");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Class and message of the innermost cause (broker and JMS messages name addresses and codes, not data). */
    private static String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }

    /** Request and answer, one at a time, on the management address. */
    private final class Management {
        private final Session session;
        private final MessageProducer requests;
        private final MessageConsumer answers;
        private final TemporaryQueue replies;

        Management(Session session, MessageProducer requests, MessageConsumer answers, TemporaryQueue replies) {
            this.session = session;
            this.requests = requests;
            this.answers = answers;
            this.replies = replies;
        }

        Object invoke(String resource, String operation) throws Exception {
            Message request = session.createMessage();
            JMSManagementHelper.putOperationInvocation(request, resource, operation);
            Message answer = ask(request, resource + " " + operation);
            if (!JMSManagementHelper.hasOperationSucceeded(answer)) {
                throw new IllegalStateException("the broker refused " + resource + " " + operation + ": "
                        + JMSManagementHelper.getResult(answer));
            }
            return JMSManagementHelper.getResult(answer);
        }

        /** The queue's messageCount; null when the broker does not know the queue (any more). */
        Long messageCount(String queue) throws Exception {
            Message request = session.createMessage();
            JMSManagementHelper.putAttribute(request, ResourceNames.QUEUE + queue, "messageCount");
            Message answer = ask(request, "messageCount");
            if (!JMSManagementHelper.hasOperationSucceeded(answer)) {
                return null;
            }
            return ((Number) JMSManagementHelper.getResult(answer)).longValue();
        }

        private Message ask(Message request, String what) throws JMSException, TimeoutException {
            request.setJMSReplyTo(replies);
            requests.send(request);
            Message answer = answers.receive(timeout.toMillis());
            if (answer == null) {
                throw new TimeoutException("no answer to " + what + " within " + timeout.toMillis() + " ms");
            }
            return answer;
        }
    }

    private static final class Depth {
        volatile double value = Double.NaN;

        double value() {
            return value;
        }
    }
}
