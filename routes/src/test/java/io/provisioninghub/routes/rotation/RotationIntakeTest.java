package io.provisioninghub.routes.rotation;

import io.provisioninghub.connectors.smsc.simulator.RecordedSubmit;
import io.provisioninghub.routes.support.KafkaTopics;
import io.provisioninghub.routes.support.ProvisioningDocument;
import io.provisioninghub.routes.support.SharedHubTest;
import io.provisioninghub.routes.support.Subscribers;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static io.provisioninghub.routes.support.DeviceClient.table1;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * ROT-1 / ROT-2 first steps (issue 4, in progress) over the real Kafka broker: a rotation-requested CloudEvent
 * revokes the subscriber's tokens and sends the §3 trigger SMS, once however often the event comes; invalid
 * events land on the dead-letter topic with their reason.
 */
class RotationIntakeTest extends SharedHubTest {

    private static KafkaTopics kafka;

    @BeforeAll
    static void connect() {
        kafka = new KafkaTopics(hub);
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    @Test // ROT-1, ROT-2, RECONF-1: the event revokes the tokens and sends the trigger SMS; a replay changes nothing
    void rotationRequestRevokesTokensAndSendsTheTrigger() throws Exception {
        Subscribers user = Subscribers.generated(20_960);
        String token = ProvisioningDocument.parse(device.configure(user.msisdn(), user.imsi(), table1(0, user.imsi())).body())
                .parm("TOKEN", "token").orElseThrow();
        String event = requested(UUID.randomUUID().toString(), user.imsi(), "compromised");

        send(user.imsi(), event);

        RecordedSubmit sms = hub.smsc().awaitSubmit(user.msisdn(), 1, Duration.ofSeconds(30));
        assertThat(sms.text()).isEqualTo(user.imsi() + "@ims.mnc001.mcc001.3gppnetwork.org-rcscfg");
        assertThat(hub.hubDatabase().queryForObject("SELECT count(*) FROM access_token WHERE msisdn = ? AND revoked_at IS NULL",
                Integer.class, user.msisdn())).isZero();
        awaitRotation(user.imsi(), "notified");
        assertThat(token).hasSize(24);

        // The same event again (a producer retry, a replay): applied once.
        send(user.imsi(), event);
        String marker = requested(UUID.randomUUID().toString(), "001019999999999", "due");
        send("001019999999999", marker); // a later record on the topic, to know the replay was consumed
        awaitRotation("001019999999999", "failed");
        assertThat(hub.smsc().to(user.msisdn())).hasSize(1);
        assertThat(hub.hubDatabase().queryForObject("SELECT count(*) FROM rotation WHERE imsi = ?", Integer.class,
                user.imsi())).isEqualTo(1);
    }

    @Test // ROT-2: a device that never answers is notified again, then the rotation expires with a result event
    void silentDeviceIsRenotifiedThenExpires() throws Exception {
        Subscribers user = Subscribers.generated(20_961);
        String eventId = UUID.randomUUID().toString();
        send(user.imsi(), requested(eventId, user.imsi(), "due"));
        hub.smsc().awaitSubmit(user.msisdn(), 1, Duration.ofSeconds(30));
        awaitRotation(user.imsi(), "notified");

        // The back-off (hub.rotation.renotify-after, 1 h) has run out: a second trigger SMS.
        hub.hubDatabase().update("UPDATE rotation SET next_notify_at = now() - interval '1 second' WHERE imsi = ?", user.imsi());
        hub.smsc().awaitSubmit(user.msisdn(), 2, Duration.ofSeconds(30));
        Integer notifications = hub.hubDatabase().queryForObject("SELECT notifications FROM rotation WHERE imsi = ?",
                Integer.class, user.imsi());
        assertThat(notifications).isEqualTo(2);
        assertThat(hub.hubDatabase().queryForObject("SELECT next_notify_at > now() + interval '100 minutes' FROM rotation "
                + "WHERE imsi = ?", Boolean.class, user.imsi())).isTrue(); // doubled: 2 h

        // Out of notifications (hub.rotation.max-notifications, 3): expired, and the result goes out on Kafka.
        hub.hubDatabase().update("UPDATE rotation SET notifications = 3, next_notify_at = now() - interval '1 second' "
                + "WHERE imsi = ?", user.imsi());
        awaitRotation(user.imsi(), "expired");
        ConsumerRecord<String, String> result = readTopic("hub.rotation.results", Duration.ofSeconds(30),
                record -> record.value().contains(eventId)).get(0);
        assertThat(result.key()).isEqualTo(user.imsi());
        assertResultEvent(result.value(), eventId, user.imsi(), "expired");
        assertThat(hub.smsc().to(user.msisdn())).hasSize(2);
    }

    @Test // ROT-1: a request for a subscriber the HLR does not know fails, with a result event saying why
    void unknownSubscriberFailsWithAResultEvent() throws Exception {
        String eventId = UUID.randomUUID().toString();
        send("001019999999998", requested(eventId, "001019999999998", "compromised"));

        ConsumerRecord<String, String> result = readTopic("hub.rotation.results", Duration.ofSeconds(30),
                record -> record.value().contains(eventId)).get(0);

        assertResultEvent(result.value(), eventId, "001019999999998", "failed");
        assertThat(result.value()).contains("unknown subscriber");
    }

    /** The result event against its JSON Schema (schemas module), and its fields. */
    private static void assertResultEvent(String value, String requestId, String imsi, String outcome) throws Exception {
        com.fasterxml.jackson.databind.JsonNode event = new com.fasterxml.jackson.databind.ObjectMapper().readTree(value);
        try (var schema = RotationIntakeTest.class.getResourceAsStream("/json/rotation/rotation-result.v1.schema.json")) {
            assertThat(com.networknt.schema.JsonSchemaFactory.getInstance(com.networknt.schema.SpecVersion.VersionFlag.V202012)
                    .getSchema(schema).validate(event)).isEmpty();
        }
        assertThat(event.at("/type").asText()).isEqualTo("io.provisioninghub.rotation.result.v1");
        assertThat(event.at("/data/requestId").asText()).isEqualTo(requestId);
        assertThat(event.at("/data/imsi").asText()).isEqualTo(imsi);
        assertThat(event.at("/data/outcome").asText()).isEqualTo(outcome);
    }

    @Test // ROT-1: unparseable and schema-invalid events go to the dead-letter topic with their reason
    void invalidEventsAreDeadLettered() {
        String notJson = "{not json " + UUID.randomUUID();
        String badImsi = requested(UUID.randomUUID().toString(), "12345", "compromised");
        send("x", notJson);
        send("x", badImsi);

        List<ConsumerRecord<String, String>> dead = readTopic("hub.rotation.dead-letter", 2, Duration.ofSeconds(30),
                record -> record.value().equals(notJson) || record.value().equals(badImsi));

        assertThat(dead).extracting(ConsumerRecord::value).containsExactlyInAnyOrder(notJson, badImsi);
        for (ConsumerRecord<String, String> record : dead) {
            String reason = new String(record.headers().lastHeader("hubReason").value(), StandardCharsets.UTF_8);
            if (record.value().equals(notJson)) {
                assertThat(reason).contains("not JSON");
            } else {
                assertThat(reason).contains("rotation-requested.v1").contains("$.data.imsi").doesNotContain("12345");
            }
        }
    }

    private static String requested(String id, String imsi, String reason) {
        return KafkaTopics.rotationRequested(id, imsi, reason);
    }

    private static void send(String key, String value) {
        kafka.send("hub.rotation.requests", key, value);
    }

    private static void awaitRotation(String imsi, String state) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            List<String> states = hub.hubDatabase().queryForList("SELECT state FROM rotation WHERE imsi = ?", String.class, imsi);
            if (states.contains(state)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no rotation of " + imsi + " in state " + state);
    }

    private static List<ConsumerRecord<String, String>> readTopic(String topic, Duration timeout,
                                                                  java.util.function.Predicate<ConsumerRecord<String, String>> wanted) {
        List<ConsumerRecord<String, String>> found = readTopic(topic, 1, timeout, wanted);
        assertThat(found).as("a record on " + topic).isNotEmpty();
        return found;
    }

    private static List<ConsumerRecord<String, String>> readTopic(String topic, int count, Duration timeout,
                                                                  java.util.function.Predicate<ConsumerRecord<String, String>> wanted) {
        return kafka.read(topic, count, timeout, wanted);
    }
}
