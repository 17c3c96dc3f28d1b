package io.provisioninghub.routes.benchmark;

import io.provisioninghub.routes.support.HubInstance;
import io.provisioninghub.routes.support.Subscribers;
import jakarta.jms.Message;
import jakarta.jms.QueueConnection;
import jakarta.jms.QueueRequestor;
import jakarta.jms.QueueSession;
import jakarta.jms.Session;
import org.apache.activemq.artemis.api.core.management.ResourceNames;
import org.apache.activemq.artemis.api.jms.ActiveMQJMSClient;
import org.apache.activemq.artemis.api.jms.management.JMSManagementHelper;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.CamelContext;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Future;

/**
 * Rotation intake throughput (docs/benchmarks.md "Rotation intake"; issue 4's proof item: "100,000 rotation events
 * persisted, with their SMS queued, in ≤ 60 s on 2 cores"). Not a test: run it with
 * {@code ./mvnw -B -ntp -pl routes -am -Protation-benchmark verify -DskipTests}.
 * <ol>
 *   <li>A fresh hub (its own sandbox). The SMS sender is stopped (and the leadership check that would restart it is
 *   slowed to once an hour), so every trigger SMS stays in the Artemis outbox queue where it can be counted. The
 *   intake route is stopped too.</li>
 *   <li>{@code events} valid rotation-requested events (one per generated subscriber n = 1..events, all known to the
 *   HLR stand-in with an MSISDN) are published to the requests topic.</li>
 *   <li>Baselines, same run, same records: (a) a plain {@code KafkaConsumer} reads them all (the floor: the hub cannot
 *   take the records faster than it can read them); (b) a bare JDBC batch INSERT of as many rows, shaped like
 *   {@code rotation}, into a scratch table of the hub database, 500 per batch (the floor of the database work alone,
 *   without any lookup or SMS).</li>
 *   <li>Measured: from the start of the intake route until {@code events} rotation rows are {@code notified} and
 *   {@code events} trigger SMS rows are {@code queued}. The intake commits its JMS session before its database
 *   transaction, so every row counted has its message in Artemis already; the queue depth is checked by a
 *   count from the broker's management API afterwards, and the consumer group's committed offset through the Kafka admin API.</li>
 * </ol>
 * Settings: -Dbenchmark.events (100000), -Dbenchmark.warmup (10000: events for n = 1..warmup applied first and then
 * closed, to warm the JIT; 0 for none), -Dbenchmark.maxSeconds (600: give up and report the rate reached),
 * -Dbenchmark.output (target/rotation-benchmark-results.md), hub properties with -Dbenchmark.hub=name=value,name=value.
 * Exits with 1 when a check fails (a rotation not notified, a count that does not match).
 */
public final class RotationIntakeBenchmark {

    private static final int EVENTS = Integer.getInteger("benchmark.events", 100_000);
    private static final int WARMUP = Integer.getInteger("benchmark.warmup", 10_000);
    private static final int MAX_SECONDS = Integer.getInteger("benchmark.maxSeconds", 600);
    private static final Path OUTPUT = Path.of(System.getProperty("benchmark.output", "target/rotation-benchmark-results.md"));
    private static final String TOPIC = "hub.rotation.requests";
    private static final String OUTBOX_QUEUE = "hub.sms.outbox";
    private static final String INTAKE_ROUTE = "rotation-request-intake";
    private static final String SENDER_ROUTE = "sms-outbox-send";

    private RotationIntakeBenchmark() {
    }

    record Phase(String name, int count, double seconds) {
        double perSecond() {
            return count / seconds;
        }
    }

    public static void main(String[] args) throws Exception {
        Instant began = Instant.now();
        Path data = Path.of("target", "hub-instances", "rotation-benchmark-" + System.nanoTime()).toAbsolutePath();
        Map<String, String> properties = new LinkedHashMap<>(Map.of(
                "hub.sandbox.data-dir", data.toString(),
                // The sender starts at the first leadership check; stopped below, it must stay stopped.
                "hub.sms.leader-check-interval", "1h"));
        for (String pair : System.getProperty("benchmark.hub", "").split(",")) {
            if (pair.contains("=")) {
                properties.put(pair.substring(0, pair.indexOf('=')).trim(), pair.substring(pair.indexOf('=') + 1).trim());
            }
        }
        int exit = 0;
        StringBuilder report = new StringBuilder();
        HubInstance hub = HubInstance.start(properties);
        try {
            CpuSample.trackPostgres(data);
            CamelContext camel = hub.context().getBean(CamelContext.class);
            // The first leadership check may come before or after the Camel context started the routes: let it pass,
            // then make sure the sender is stopped (the next check is an hour away).
            Thread.sleep(3000);
            camel.getRouteController().stopRoute(SENDER_ROUTE);
            String brokers = hub.property("camel.component.kafka.brokers");
            String brokerUrl = hub.sandbox().artemis().orElseThrow().brokerUrl();
            JdbcTemplate db = hub.hubDatabase();

            if (WARMUP > 0) {
                // JIT warm-up through the whole path, on subscribers 1..warmup; their rotations are then closed so the
                // measured events for the same subscribers start new ones (one rotation in progress per subscriber).
                publish(brokers, "urn:benchmark:warmup", 1, WARMUP);
                Phase warm = intake(camel, db, WARMUP, 0, 0);
                System.out.printf(Locale.ROOT, "warm-up: %d events in %.1f s%n", WARMUP, warm.seconds());
                camel.getRouteController().stopRoute(INTAKE_ROUTE);
                // Closed with their result marked published, so the follow-up does not publish 10,000 results meanwhile.
                db.update("UPDATE rotation SET state = 'expired', result_published_at = now() "
                        + "WHERE event_source = 'urn:benchmark:warmup'");
            } else {
                camel.getRouteController().stopRoute(INTAKE_ROUTE);
            }
            long queuedBefore = queueDepth(brokerUrl);
            long smsBefore = count(db, "SELECT count(*) FROM sms_message WHERE purpose = 'reconfiguration'");

            long publishStart = System.nanoTime();
            publish(brokers, "urn:benchmark:security", 1, EVENTS);
            Phase publish = new Phase("publish (Kafka producer, acks=all)", EVENTS, seconds(publishStart));
            System.out.printf(Locale.ROOT, "published %d events in %.1f s%n", EVENTS, publish.seconds());

            Phase consumerBaseline = plainConsumer(brokers, WARMUP + EVENTS);
            System.out.printf(Locale.ROOT, "baseline, plain consumer: %.2f s%n", consumerBaseline.seconds());
            Phase jdbcBaseline = jdbcBatchInsert(db, EVENTS);
            System.out.printf(Locale.ROOT, "baseline, JDBC batch insert: %.2f s%n", jdbcBaseline.seconds());

            CpuSample cpuBefore = CpuSample.now();
            long notifiedBefore = count(db, "SELECT count(*) FROM rotation WHERE state = 'notified'");
            Phase measured = intake(camel, db, EVENTS, notifiedBefore, smsBefore);
            CpuSample cpuAfter = CpuSample.now();
            System.out.printf(Locale.ROOT, "intake: %d events in %.1f s%n", measured.count(), measured.seconds());

            long notified = count(db, "SELECT count(*) FROM rotation WHERE event_source = 'urn:benchmark:security' AND state = 'notified'");
            long failed = count(db, "SELECT count(*) FROM rotation WHERE event_source = 'urn:benchmark:security' AND state <> 'notified'");
            long sms = count(db, "SELECT count(*) FROM sms_message WHERE purpose = 'reconfiguration'") - smsBefore;
            long queued = queueDepth(brokerUrl) - queuedBefore;
            long committed = committedOffset(brokers, hub.property("hub.rotation.consumer-group"));
            boolean complete = measured.count() == EVENTS;
            boolean consistent = notified == EVENTS && failed == 0 && sms == EVENTS && queued == EVENTS
                    && committed == (long) WARMUP + EVENTS;
            if (!complete || !consistent) {
                exit = 1;
            }
            report.append(report(began, publish, consumerBaseline, jdbcBaseline, measured, cpuBefore, cpuAfter,
                    notified, failed, sms, queued, committed, properties));
        } finally {
            hub.close();
            deleteQuietly(data);
        }
        System.out.println(report);
        Files.createDirectories(OUTPUT.toAbsolutePath().getParent());
        Files.writeString(OUTPUT, report.toString());
        System.exit(exit);
    }

    /** Events for generated subscribers first..first+count-1, ids unique to this run. */
    private static void publish(String brokers, String source, int first, int count) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "10");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            List<Future<?>> sent = new ArrayList<>(count);
            for (int n = first; n < first + count; n++) {
                String imsi = Subscribers.generated(n).imsi();
                sent.add(producer.send(new ProducerRecord<>(TOPIC, imsi, event(source, UUID.randomUUID().toString(), imsi))));
            }
            producer.flush();
            for (Future<?> f : sent) {
                f.get();
            }
        }
    }

    static String event(String source, String id, String imsi) {
        return "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"" + source + "\","
                + "\"type\":\"io.provisioninghub.rotation.requested.v1\",\"time\":\"2026-11-22T21:30:00Z\","
                + "\"datacontenttype\":\"application/json\",\"data\":{\"imsi\":\"" + imsi + "\",\"reason\":\"compromised\"}}";
    }

    /**
     * Starts the intake and waits for {@code count} more rotations notified (beyond {@code notifiedBefore}) and as
     * many more trigger SMS rows (beyond {@code smsBefore}); gives up after maxSeconds and reports what was reached.
     */
    private static Phase intake(CamelContext camel, JdbcTemplate db, int count, long notifiedBefore, long smsBefore)
            throws Exception {
        long start = System.nanoTime();
        camel.getRouteController().startRoute(INTAKE_ROUTE);
        long deadline = start + Duration.ofSeconds(MAX_SECONDS).toNanos();
        long lastPrint = start;
        while (true) {
            long notified = count(db, "SELECT count(*) FROM rotation WHERE state = 'notified'") - notifiedBefore;
            long sms = count(db, "SELECT count(*) FROM sms_message WHERE purpose = 'reconfiguration'") - smsBefore;
            long now = System.nanoTime();
            if (notified >= count && sms >= count) {
                return new Phase("intake", count, (now - start) / 1e9);
            }
            if (now > deadline) {
                System.out.printf(Locale.ROOT, "GAVE UP after %d s: %d notified, %d SMS%n", MAX_SECONDS, notified, sms);
                return new Phase("intake (incomplete)", (int) Math.min(notified, sms), (now - start) / 1e9);
            }
            if (now - lastPrint > 5_000_000_000L) {
                System.out.printf(Locale.ROOT, "  %.0f s: %d notified, %d SMS queued%n", (now - start) / 1e9, notified, sms);
                lastPrint = now;
            }
            Thread.sleep(100);
        }
    }

    /** Baseline (a): a plain consumer in a group of its own reads every record of the topic. */
    private static Phase plainConsumer(String brokers, int total) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "benchmark-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "500");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        long start = System.nanoTime();
        int read = 0;
        long bytes = 0;
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of(TOPIC));
            while (read < total && System.nanoTime() - start < Duration.ofMinutes(5).toNanos()) {
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    read++;
                    bytes += record.value().length();
                }
                consumer.commitSync();
            }
        }
        if (read < total) {
            throw new IllegalStateException("the plain consumer read " + read + " of " + total);
        }
        return new Phase("plain KafkaConsumer reads the records (" + bytes / total + " bytes each), commitSync per poll",
                total, seconds(start));
    }

    /** Baseline (b): the same number of rotation-shaped rows inserted with JDBC batches, no lookups, no SMS. */
    private static Phase jdbcBatchInsert(JdbcTemplate db, int count) {
        db.execute("CREATE TABLE IF NOT EXISTS benchmark_rotation (LIKE rotation INCLUDING ALL)");
        List<Object[]> rows = new ArrayList<>(500);
        long start = System.nanoTime();
        for (int n = 1; n <= count; n++) {
            rows.add(new Object[] {"urn:benchmark:baseline", UUID.randomUUID().toString(), Subscribers.generated(n).imsi()});
            if (rows.size() == 500 || n == count) {
                db.batchUpdate("INSERT INTO benchmark_rotation (event_source, event_id, imsi, reason, state) "
                        + "VALUES (?, ?, ?, 'compromised', 'notified') ON CONFLICT DO NOTHING", rows);
                rows.clear();
            }
        }
        Phase phase = new Phase("bare JDBC batch INSERT of rotation-shaped rows (500 per batch, autocommit per batch)",
                count, seconds(start));
        db.execute("DROP TABLE benchmark_rotation");
        return phase;
    }

    /**
     * Messages waiting in the outbox queue (the sender is stopped), from the broker's management API: a
     * {@code QueueBrowser} over 100,000 messages stops early (its enumeration ends when the client buffer is
     * momentarily empty), so it undercounts.
     */
    private static long queueDepth(String brokerUrl) throws Exception {
        try (ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(brokerUrl);
             QueueConnection connection = factory.createQueueConnection()) {
            connection.start();
            QueueSession session = connection.createQueueSession(false, Session.AUTO_ACKNOWLEDGE);
            QueueRequestor requestor = new QueueRequestor(session, ActiveMQJMSClient.createQueue("activemq.management"));
            Message request = session.createMessage();
            JMSManagementHelper.putAttribute(request, ResourceNames.QUEUE + OUTBOX_QUEUE, "messageCount");
            Message reply = requestor.request(request);
            if (!JMSManagementHelper.hasOperationSucceeded(reply)) {
                throw new IllegalStateException("management request failed: " + JMSManagementHelper.getResult(reply));
            }
            return ((Number) JMSManagementHelper.getResult(reply)).longValue();
        }
    }

    private static long committedOffset(String brokers, String group) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers))) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get();
            return offsets.entrySet().stream().filter(e -> e.getKey().topic().equals(TOPIC))
                    .mapToLong(e -> e.getValue().offset()).sum();
        }
    }

    private static long count(JdbcTemplate db, String sql) {
        Long n = db.queryForObject(sql, Long.class);
        return n == null ? 0 : n;
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static String report(Instant began, Phase publish, Phase consumer, Phase jdbc, Phase measured,
                                 CpuSample before, CpuSample after, long notified, long failed, long sms, long queued,
                                 long committed, Map<String, String> properties) {
        double wall = (after.wallNanos() - before.wallNanos()) / 1e9;
        StringBuilder md = new StringBuilder();
        md.append("## Rotation intake (").append(began).append(")\n\n");
        md.append(String.format(Locale.ROOT, "%d rotation-requested events, %d warm-up events before, %d cores, hub "
                + "overrides %s.%n%n", EVENTS, WARMUP, Runtime.getRuntime().availableProcessors(), properties.keySet().stream()
                .filter(k -> !k.equals("hub.sandbox.data-dir")).map(k -> k + "=" + properties.get(k)).toList()));
        md.append("| Phase | events | seconds | per second |\n|---|---:|---:|---:|\n");
        for (Phase p : List.of(publish, consumer, jdbc, measured)) {
            md.append(String.format(Locale.ROOT, "| %s | %d | %.2f | %.0f |%n", p.name(), p.count(), p.seconds(), p.perSecond()));
        }
        md.append(String.format(Locale.ROOT, "%nPer event: intake %.1f µs, plain consumer %.1f µs (intake %.0f×), bare JDBC "
                        + "insert %.1f µs (intake %.0f×).%n", 1e6 / measured.perSecond(), 1e6 / consumer.perSecond(),
                consumer.perSecond() / measured.perSecond(), 1e6 / jdbc.perSecond(), jdbc.perSecond() / measured.perSecond()));
        md.append(String.format(Locale.ROOT, "%nCPU during the intake: machine %.2f cores busy (JVM %.2f, PostgreSQL %.2f, "
                        + "other processes %.2f); JIT %d ms, GC %d ms in %d collections; load average after: %s.%n",
                after.machineCoresSince(before), (after.jvmNanos() - before.jvmNanos()) / 1e9 / wall,
                (after.childrenNanos() - before.childrenNanos()) / 1e9 / wall, after.otherCoresSince(before),
                after.jitMillis() - before.jitMillis(), after.gcMillis() - before.gcMillis(),
                after.gcCount() - before.gcCount(), CpuSample.loadAverage()));
        md.append(String.format(Locale.ROOT, "%nChecks: %d notified, %d in another state, %d trigger SMS rows, %d messages "
                + "in the Artemis outbox queue, committed offset %d (of %d records).%n", notified, failed, sms, queued,
                committed, WARMUP + EVENTS));
        boolean pass = measured.count() == EVENTS && measured.seconds() <= 60;
        md.append(String.format(Locale.ROOT, "%n| Target | Measured | Verdict |%n|---|---|---|%n"
                        + "| %d events persisted, SMS queued, ≤ 60 s on 2 cores | %.1f s (%d events) | %s |%n",
                EVENTS, measured.seconds(), measured.count(), pass ? "PASS" : "FAIL"));
        return md.toString();
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException ignored) {
            // best effort
        }
    }
}
