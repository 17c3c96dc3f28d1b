package io.provisioninghub.routes.rotation;

import io.provisioninghub.connectors.billing.simulator.BillingSimulator;
import io.provisioninghub.routes.support.HubInstance;
import io.provisioninghub.routes.support.SharedHubTest;
import io.provisioninghub.routes.support.Subscribers;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ROT-1 for the batch intake, over the real Kafka broker: records arrive many per batch, valid, duplicate and
 * malformed mixed; each valid one is applied once, each malformed one is dead-lettered with its reason, and the
 * consumer group's committed offset never passes a record whose rotation is not in the database, also when the HLR
 * or billing fails in the middle of a batch (after the batch's rotations were inserted, so the rollback matters).
 * Subscribers 30,001 … 30,400.
 */
class RotationBatchIntakeTest extends SharedHubTest {

    private static final String TOPIC = "hub.rotation.requests";

    @Test // ROT-1, ROT-2, RECONF-1: one batch, valid + duplicate + unknown + malformed; each valid applied once, malformed → DLT
    void batchMixingValidDuplicateAndMalformedEventsAppliesEachValidOneOnce() throws Exception {
        List<Subscribers> users = new ArrayList<>();
        for (int n = 30_001; n <= 30_020; n++) {
            users.add(Subscribers.generated(n));
        }
        String notJson = "{\"specversion\":\"1.0\", broken " + UUID.randomUUID();
        String badReason = requested(UUID.randomUUID().toString(), users.get(0).imsi(), "bored");
        List<String> eventIds = new ArrayList<>();
        List<ProducerRecord<String, String>> batch = new ArrayList<>();
        for (Subscribers user : users) {
            String id = UUID.randomUUID().toString();
            eventIds.add(id);
            batch.add(new ProducerRecord<>(TOPIC, user.imsi(), requested(id, user.imsi(), "compromised")));
        }
        // The same event twice more (a producer retry), and another event for a subscriber whose rotation is in
        // progress (it joins that rotation): neither creates a rotation or an SMS.
        batch.add(new ProducerRecord<>(TOPIC, users.get(3).imsi(), requested(eventIds.get(3), users.get(3).imsi(), "compromised")));
        batch.add(new ProducerRecord<>(TOPIC, users.get(3).imsi(), requested(eventIds.get(3), users.get(3).imsi(), "compromised")));
        batch.add(new ProducerRecord<>(TOPIC, users.get(4).imsi(), requested(UUID.randomUUID().toString(), users.get(4).imsi(), "due")));
        // A subscriber the HLR does not know: its rotation fails, the others of the batch go on.
        String unknownId = UUID.randomUUID().toString();
        batch.add(7, new ProducerRecord<>(TOPIC, "001019999999990", requested(unknownId, "001019999999990", "due")));
        batch.add(10, new ProducerRecord<>(TOPIC, "x", notJson));
        batch.add(15, new ProducerRecord<>(TOPIC, "x", badReason));

        sendAll(hub, batch);

        JdbcTemplate db = hub.hubDatabase();
        awaitTrue(() -> count(db, "SELECT count(*) FROM rotation WHERE state = 'notified' AND event_id = ANY(?::varchar[])",
                (Object) eventIds.toArray(String[]::new)) == users.size(), "every valid event applied");
        awaitTrue(() -> count(db, "SELECT count(*) FROM rotation WHERE event_id = ? AND state = 'failed' "
                + "AND failure_reason = 'unknown subscriber'", unknownId) == 1, "the unknown subscriber's rotation failed");
        List<ConsumerRecord<String, String>> dead = readTopic(hub, "hub.rotation.dead-letter", 2,
                r -> r.value().equals(notJson) || r.value().equals(badReason));
        assertThat(dead).extracting(ConsumerRecord::value).containsExactlyInAnyOrder(notJson, badReason);
        for (ConsumerRecord<String, String> record : dead) {
            String reason = new String(record.headers().lastHeader("hubReason").value(), StandardCharsets.UTF_8);
            assertThat(reason).contains(record.value().equals(notJson) ? "not JSON" : "$.data.reason");
        }
        for (Subscribers user : users) {
            hub.smsc().awaitSubmit(user.msisdn(), 1, Duration.ofSeconds(30));
        }
        Thread.sleep(1000); // a second trigger, were there one, would be on its way by now
        for (Subscribers user : users) {
            assertThat(count(db, "SELECT count(*) FROM rotation WHERE imsi = ?", user.imsi())).as("rotations").isEqualTo(1);
            assertThat(count(db, "SELECT count(*) FROM sms_message WHERE msisdn = ? AND purpose = 'reconfiguration'",
                    user.msisdn())).as("trigger SMS rows").isEqualTo(1);
            assertThat(hub.smsc().to(user.msisdn())).as("trigger SMS sent").hasSize(1);
            assertThat(hub.smsc().to(user.msisdn()).get(0).text()).startsWith(user.imsi()).endsWith("-rcscfg");
        }
        assertThat(count(db, "SELECT count(*) FROM subscriber_config WHERE resend_requested AND imsi = ANY(?::varchar[])",
                (Object) users.stream().map(Subscribers::imsi).toArray(String[]::new))).isEqualTo(users.size());
    }

    @Test // ROT-1: the committed offset never passes an unapplied record; after HLR and billing outages mid-batch, all applied once
    void committedOffsetNeverRunsAheadOfTheRowsWhenBackEndsFailMidBatch() throws Exception {
        Path data = Path.of("target", "hub-instances", "rotation-batch-" + UUID.randomUUID()).toAbsolutePath();
        try (HubInstance own = HubInstance.start(Map.of("hub.sandbox.data-dir", data.toString(),
                "hub.rotation.batch-size", "40", "hub.rotation.retry-delay", "200ms",
                "hub.billing.circuit-breaker.wait-in-open-state", "1s"))) {
            JdbcTemplate db = own.hubDatabase();
            String group = own.property("hub.rotation.consumer-group");
            List<Subscribers> users = new ArrayList<>();
            for (int n = 30_101; n <= 30_400; n++) {
                users.add(Subscribers.generated(n));
            }
            // The first 100 go through; the topic's offsets of the test's records start here.
            long base = endOffset(own);
            sendAll(own, users.subList(0, 100).stream().map(RotationBatchIntakeTest::event).toList());
            awaitTrue(() -> notified(db, users.subList(0, 100)) == 100, "first 100 applied");
            awaitTrue(() -> committed(own, group) == base + 100, "offset committed after the first 100");

            // The HLR's subscriber table goes away: each batch inserts its rotations, then fails at the HLR lookup
            // and rolls back; the offset must stay where it is.
            own.hlrDatabase().execute("ALTER TABLE subscriber RENAME TO subscriber_away");
            try {
                sendAll(own, users.subList(100, 200).stream().map(RotationBatchIntakeTest::event).toList());
                long until = System.nanoTime() + Duration.ofSeconds(4).toNanos();
                while (System.nanoTime() < until) {
                    long offset = committed(own, group);
                    assertThat(offset).as("committed offset during the outage").isEqualTo(base + 100);
                    Thread.sleep(200);
                }
                assertThat(notified(db, users.subList(100, 200))).isZero();
                assertThat(count(db, "SELECT count(*) FROM rotation WHERE imsi = ANY(?::varchar[])",
                        (Object) imsis(users.subList(100, 200)))).as("rolled back rows").isZero();
            } finally {
                own.hlrDatabase().execute("ALTER TABLE subscriber_away RENAME TO subscriber");
            }

            awaitRecovery(own, db, group, users, base, 100, 200);

            // Billing answers 500: each batch gets as far as the trigger texts (rows inserted, tokens revoked, resend
            // marks set), then fails and rolls back; nothing reaches Artemis, the offset stays.
            BillingSimulator billing = own.sandbox().billing().orElseThrow();
            billing.faults().setFailureStatus(500);
            try {
                sendAll(own, users.subList(200, 300).stream().map(RotationBatchIntakeTest::event).toList());
                long until = System.nanoTime() + Duration.ofSeconds(4).toNanos();
                while (System.nanoTime() < until) {
                    assertThat(committed(own, group)).as("committed offset, billing down").isEqualTo(base + 200);
                    Thread.sleep(200);
                }
                assertThat(count(db, "SELECT count(*) FROM rotation WHERE imsi = ANY(?::varchar[])",
                        (Object) imsis(users.subList(200, 300)))).as("rolled back rows").isZero();
                assertThat(count(db, "SELECT count(*) FROM subscriber_config WHERE resend_requested AND imsi = ANY(?::varchar[])",
                        (Object) imsis(users.subList(200, 300)))).as("rolled back resend marks").isZero();
            } finally {
                billing.faults().setFailureStatus(0);
            }
            awaitRecovery(own, db, group, users, base, 200, 300);

            for (Subscribers user : users) {
                assertThat(count(db, "SELECT count(*) FROM rotation WHERE imsi = ?", user.imsi())).isEqualTo(1);
                assertThat(count(db, "SELECT count(*) FROM sms_message WHERE msisdn = ? AND purpose = 'reconfiguration'",
                        user.msisdn())).isEqualTo(1);
            }
            // Every trigger reaches the SMSC once (the messages of the rolled-back attempts, if any were committed
            // to Artemis, have no row and are dropped unsent).
            for (Subscribers user : users.subList(100, 300)) {
                own.smsc().awaitSubmit(user.msisdn(), 1, Duration.ofSeconds(60));
            }
            Thread.sleep(1000);
            for (Subscribers user : users) {
                assertThat(own.smsc().to(user.msisdn())).as("trigger SMS sent").hasSize(1);
            }
        } finally {
            deleteQuietly(data);
        }
    }

    /**
     * While the batches are re-polled and applied after an outage, every sample of the committed offset is covered by
     * rows already committed (offset first, then the rows: rows only grow); in the end all {@code to} are applied.
     */
    private static void awaitRecovery(HubInstance own, JdbcTemplate db, String group, List<Subscribers> users, long base,
                                      int from, int to) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        long offset;
        do {
            offset = committed(own, group);
            int applied = (int) (offset - base);
            assertThat(applied).isBetween(from, to);
            assertThat(notified(db, users.subList(0, applied))).as("rows below committed offset " + offset)
                    .isEqualTo(applied);
            Thread.sleep(50);
        } while (offset < base + to && System.nanoTime() < deadline);
        assertThat(offset).isEqualTo(base + to);
    }

    private static ProducerRecord<String, String> event(Subscribers user) {
        return new ProducerRecord<>(TOPIC, user.imsi(), requested(UUID.randomUUID().toString(), user.imsi(), "compromised"));
    }

    private static String requested(String id, String imsi, String reason) {
        return "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"urn:test:batch\","
                + "\"type\":\"io.provisioninghub.rotation.requested.v1\",\"datacontenttype\":\"application/json\","
                + "\"data\":{\"imsi\":\"" + imsi + "\",\"reason\":\"" + reason + "\"}}";
    }

    /** All records in one go (linger: they reach the broker together and are polled as one batch). */
    private static void sendAll(HubInstance target, List<ProducerRecord<String, String>> records) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, target.property("camel.component.kafka.brokers"));
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.LINGER_MS_CONFIG, "50");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
            for (ProducerRecord<String, String> record : records) {
                sent.add(producer.send(record));
            }
            producer.flush();
            for (java.util.concurrent.Future<?> f : sent) {
                f.get();
            }
        }
    }

    private static long endOffset(HubInstance target) throws Exception {
        try (Admin admin = admin(target)) {
            TopicPartition partition = new TopicPartition(TOPIC, 0);
            try {
                return admin.listOffsets(Map.of(partition, OffsetSpec.latest())).partitionResult(partition).get().offset();
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException) {
                    return 0; // a fresh hub whose consumer has not created the topic yet: nothing on it
                }
                throw e;
            }
        }
    }

    /** The group's committed offset on the requests topic (its single partition), 0 when none. */
    private static long committed(HubInstance target, String group) {
        try (Admin admin = admin(target)) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get();
            OffsetAndMetadata offset = offsets.get(new TopicPartition(TOPIC, 0));
            return offset == null ? 0 : offset.offset();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Admin admin(HubInstance target) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, target.property("camel.component.kafka.brokers")));
    }

    private static String[] imsis(List<Subscribers> users) {
        return users.stream().map(Subscribers::imsi).toArray(String[]::new);
    }

    private static long notified(JdbcTemplate db, List<Subscribers> users) {
        return count(db, "SELECT count(*) FROM rotation WHERE state = 'notified' AND event_source = 'urn:test:batch' "
                + "AND imsi = ANY(?::varchar[])", (Object) imsis(users));
    }

    private static long count(JdbcTemplate db, String sql, Object... args) {
        Long n = db.queryForObject(sql, Long.class, args);
        return n == null ? 0 : n;
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(100);
        }
    }

    private static List<ConsumerRecord<String, String>> readTopic(HubInstance target, String topic, int count,
                                                                  Predicate<ConsumerRecord<String, String>> wanted) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, target.property("camel.component.kafka.brokers"));
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<ConsumerRecord<String, String>> found = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    if (wanted.test(record)) {
                        found.add(record);
                    }
                });
                if (found.size() >= count) {
                    // a little longer: a duplicate dead letter would show up now
                    consumer.poll(Duration.ofMillis(1000)).forEach(record -> {
                        if (wanted.test(record)) {
                            found.add(record);
                        }
                    });
                    break;
                }
            }
        }
        return found;
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException ignored) {
            // best effort
        }
    }
}
