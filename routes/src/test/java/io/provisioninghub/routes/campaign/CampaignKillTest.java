package io.provisioninghub.routes.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import io.provisioninghub.connectors.smsc.simulator.RecordedSubmit;
import io.provisioninghub.routes.support.HubInstance;
import io.provisioninghub.routes.support.HubProcess;
import io.provisioninghub.routes.support.KafkaTopics;
import io.provisioninghub.routes.support.SmscInbox;
import io.provisioninghub.routes.support.Subscribers;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.provisioninghub.routes.campaign.CampaignApi.count;
import static io.provisioninghub.routes.campaign.CampaignApi.rangeBody;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 4's kill test (ROT-2, ROT-3): the replica that runs a 10,000-device rotation campaign and sends its SMS is a
 * process of its own, killed with SIGKILL half-way, then restarted. Its systems (PostgreSQL, HLR, Kafka, Artemis, SMSC
 * simulator) belong to a hub in the test JVM that serves the operator API but neither dispatches campaigns nor sends
 * SMS ({@code hub.campaign.workers-enabled=false}, {@code hub.sms.sender-enabled=false}). Afterwards: every device has
 * exactly one rotation record and one result event (by event id), no trigger SMS is lost, and duplicate SMS stay
 * within the SMS sender's in-flight window (one per sender consumer: an SMS the killed replica had submitted but not
 * yet recorded is sent again after the claim lease).
 */
class CampaignKillTest {

    private static final int DEVICES = 10_000;
    private static final int FIRST = 70_001;
    private static final int SENDER_CONSUMERS = 8;

    @Test
    void campaignSurvivesSigkillOfTheReplicaRunningIt() throws Exception {
        Map<String, String> shared = Map.of(
                "hub.sms.rate-per-second", "1000",
                "hub.sms.consumers", Integer.toString(SENDER_CONSUMERS),
                "hub.sms.claim-timeout", "5s",
                // Devices do not answer here: each rotation expires after one notification, so every device ends with a
                // result event (expired) the test can count.
                "hub.rotation.max-notifications", "1",
                "hub.rotation.renotify-after", "3s");
        Map<String, String> systemsSettings = new HashMap<>(shared);
        systemsSettings.put("hub.sms.sender-enabled", "false");
        systemsSettings.put("hub.campaign.workers-enabled", "false");
        Map<String, String> workerSettings = new HashMap<>(shared);
        workerSettings.put("hub.campaign.dispatch-concurrency", "16");
        Subscribers first = Subscribers.generated(FIRST);
        Subscribers last = Subscribers.generated(FIRST + DEVICES - 1);

        try (HubInstance systems = HubInstance.start(systemsSettings);
             KafkaTopics kafka = new KafkaTopics(systems);
             HubProcess worker = HubProcess.startReplicaOf(systems, workerSettings, Duration.ofMinutes(2))) {
            CampaignApi api = new CampaignApi(systems);
            JdbcTemplate db = systems.hubDatabase();
            long id = api.start(rangeBody("rotation", first, last, 1000));

            api.await(id, view -> count(view, "done") >= DEVICES * 3L / 10, Duration.ofMinutes(3));
            worker.kill();
            long doneAtKill = count(api.campaign(id), "done");
            assertThat(doneAtKill).as("killed half-way").isLessThan(DEVICES);

            worker.restart(Duration.ofMinutes(2));
            JsonNode finished = api.await(id, view -> "completed".equals(view.path("state").asText()), Duration.ofMinutes(5));

            // The campaign: every device processed once.
            assertThat(count(finished, "done")).isEqualTo(DEVICES);
            // Exactly one rotation record per device.
            String source = "urn:provisioning-hub:campaign:" + id;
            assertThat(db.queryForObject("SELECT count(*) FROM rotation WHERE event_source = ?", Integer.class, source))
                    .isEqualTo(DEVICES);
            assertThat(db.queryForObject("SELECT count(DISTINCT imsi) FROM rotation WHERE event_source = ? "
                    + "AND imsi BETWEEN ? AND ?", Integer.class, source, first.imsi(), last.imsi())).isEqualTo(DEVICES);
            // At 1,000 devices/s the 16 workers fall behind (one device alone takes tens of ms), so devices went in
            // groups (hub.campaign.dispatch-batch-size): a group's rotations share their transaction's now().
            Integer transactions = db.queryForObject("SELECT count(DISTINCT created_at) FROM rotation WHERE event_source = ?",
                    Integer.class, source);
            assertThat(transactions).as("dispatch transactions for %d devices", DEVICES).isLessThan(DEVICES / 4);

            // No SMS lost: each device's trigger reached the SMSC; duplicates within the sender's in-flight window.
            SmscInbox smsc = systems.smsc();
            int duplicates = 0;
            for (int n = FIRST; n < FIRST + DEVICES; n++) {
                Subscribers device = Subscribers.generated(n);
                RecordedSubmit trigger = smsc.awaitSubmit(device.msisdn(), 1, Duration.ofSeconds(60));
                assertThat(trigger.text()).endsWith("-rcscfg");
                duplicates += smsc.to(device.msisdn()).size() - 1;
            }
            assertThat(duplicates).as("duplicate trigger SMS").isLessThanOrEqualTo(SENDER_CONSUMERS);

            // One result event per device (expired: nobody answers here), read back from Kafka, by event id.
            Map<Long, String> rotations = new HashMap<>();
            db.query("SELECT id, imsi FROM rotation WHERE event_source = ?",
                    rs -> { rotations.put(rs.getLong(1), rs.getString(2)); }, source);
            Set<String> expectedIds = new HashSet<>();
            rotations.keySet().forEach(rotation -> expectedIds.add("rotation-result-" + rotation));
            List<ConsumerRecord<String, String>> results = kafka.read("hub.rotation.results", Integer.MAX_VALUE,
                    Duration.ofSeconds(90), record -> record.key() != null && record.key().compareTo(first.imsi()) >= 0
                            && record.key().compareTo(last.imsi()) <= 0, seen -> seen.stream()
                            .map(CampaignKillTest::eventId).filter(expectedIds::contains).distinct().count() >= DEVICES);
            Map<String, Set<String>> idsByImsi = new HashMap<>();
            for (ConsumerRecord<String, String> result : results) {
                String eventId = eventId(result);
                if (expectedIds.contains(eventId)) {
                    idsByImsi.computeIfAbsent(result.key(), k -> new HashSet<>()).add(eventId);
                    assertThat(result.value()).contains("\"outcome\":\"expired\"");
                }
            }
            System.err.printf("CampaignKillTest: killed with %d of %d devices done; duplicate SMS %d; result events read %d "
                    + "(distinct ids %d)%n", doneAtKill, DEVICES, duplicates, results.size(),
                    idsByImsi.values().stream().mapToInt(Set::size).sum());
            assertThat(idsByImsi).hasSize(DEVICES);
            assertThat(idsByImsi.values()).allSatisfy(ids -> assertThat(ids).hasSize(1));
        }
    }

    private static String eventId(ConsumerRecord<String, String> record) {
        try {
            return CampaignApi.JSON.readTree(record.value()).path("id").asText();
        } catch (Exception e) {
            return "";
        }
    }
}
