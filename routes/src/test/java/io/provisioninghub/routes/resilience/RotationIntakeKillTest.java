package io.provisioninghub.routes.resilience;

import io.provisioninghub.routes.support.HubInstance;
import io.provisioninghub.routes.support.HubProcess;
import io.provisioninghub.routes.support.KafkaTopics;
import io.provisioninghub.routes.support.Subscribers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ROT-1 under a crash: the replica consuming rotation requests runs as a process of its own and is killed with SIGKILL
 * while it works through a burst of events, then restarted. Afterwards every event was applied exactly once (one
 * rotation row per device, one trigger SMS queued per device): offsets committed only after their transaction, and
 * the unique event key making re-deliveries no-ops.
 */
class RotationIntakeKillTest {

    private static final String TOPIC = "hub.rotation.requests.kill-test";
    private static final int EVENTS = 1_000;
    private static final int FIRST = 50_001;

    private static HubInstance systems;
    private static KafkaTopics kafka;

    @BeforeAll
    static void start() {
        // The test JVM's shared hub owns the systems (they outlive the kill) and reads another topic than the one tested.
        systems = HubInstance.shared();
        kafka = new KafkaTopics(systems);
    }

    @AfterAll
    static void stop() {
        kafka.close();
    }

    @Test // ROT-1: SIGKILL mid-burst, restart: none lost, none applied twice
    void killedConsumerLosesNothingAndAppliesNothingTwice() throws Exception {
        JdbcTemplate db = systems.hubDatabase();
        try (HubProcess replica = HubProcess.startReplicaOf(systems, Map.of(
                "hub.rotation.requests-topic", TOPIC,
                "hub.rotation.consumer-group", "kill-test"), Duration.ofMinutes(2))) {
            for (int i = 0; i < EVENTS; i++) {
                Subscribers user = Subscribers.generated(FIRST + i);
                kafka.send(TOPIC, user.imsi(), KafkaTopics.rotationRequested(UUID.randomUUID().toString(), user.imsi(), "due"));
            }
            awaitRows(db, EVENTS / 5, Duration.ofMinutes(2));

            replica.kill();
            int atKill = count(db);
            assertThat(atKill).as("killed mid-burst").isLessThan(EVENTS);

            replica.restart(Duration.ofMinutes(2));
            awaitRows(db, EVENTS, Duration.ofMinutes(3));
            Thread.sleep(2_000); // anything re-delivered late would show now
        }
        assertThat(count(db)).isEqualTo(EVENTS);
        assertThat(db.queryForObject("SELECT count(DISTINCT imsi) FROM rotation WHERE event_source = 'urn:test:security' "
                + "AND imsi BETWEEN ? AND ?", Integer.class, Subscribers.generated(FIRST).imsi(),
                Subscribers.generated(FIRST + EVENTS - 1).imsi())).isEqualTo(EVENTS);
        assertThat(db.queryForObject("SELECT count(*) FROM rotation WHERE state <> 'notified' AND imsi BETWEEN ? AND ?",
                Integer.class, Subscribers.generated(FIRST).imsi(), Subscribers.generated(FIRST + EVENTS - 1).imsi())).isZero();
        // One trigger SMS per device, queued once and sent (the in-process replica holds the SMS sender's lock).
        assertThat(db.queryForObject("SELECT count(*) FROM sms_message WHERE msisdn BETWEEN ? AND ?", Integer.class,
                Subscribers.generated(FIRST).msisdn(), Subscribers.generated(FIRST + EVENTS - 1).msisdn())).isEqualTo(EVENTS);
        var smsc = systems.smsc();
        for (int i = 0; i < EVENTS; i++) {
            String msisdn = Subscribers.generated(FIRST + i).msisdn();
            assertThat(smsc.awaitSubmit(msisdn, 1, Duration.ofSeconds(60)).text()).endsWith("-rcscfg");
            assertThat(smsc.to(msisdn)).hasSize(1);
        }
    }

    private static int count(JdbcTemplate db) {
        return db.queryForObject("SELECT count(*) FROM rotation WHERE imsi BETWEEN ? AND ?", Integer.class,
                Subscribers.generated(FIRST).imsi(), Subscribers.generated(FIRST + EVENTS - 1).imsi());
    }

    private static void awaitRows(JdbcTemplate db, int rows, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (count(db) < rows) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + count(db) + " of " + rows + " rotations recorded");
            }
            Thread.sleep(50);
        }
    }
}
