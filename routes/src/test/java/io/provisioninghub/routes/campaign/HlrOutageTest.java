package io.provisioninghub.routes.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import io.provisioninghub.routes.support.HubInstance;
import io.provisioninghub.routes.support.KafkaTopics;
import io.provisioninghub.routes.support.Subscribers;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.provisioninghub.routes.campaign.CampaignApi.count;
import static io.provisioninghub.routes.campaign.CampaignApi.rangeBody;
import static io.provisioninghub.routes.campaign.CampaignApi.sleep;
import static io.provisioninghub.routes.campaign.CampaignApi.subscribers;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 4's outage proof (ROT-1, ROT-3): the HLR database refuses every connection for 30 s while a rotation campaign
 * runs and rotation requests keep arriving on Kafka. During the outage no Kafka offset is committed ahead of a database
 * write (sampled all along: the committed offset never passes the events whose rotation rows exist), the campaign waits
 * without skipping or failing a device; afterwards the campaign completes and every event and device was applied once.
 */
class HlrOutageTest {

    private static final String GROUP = "provisioning-hub-rotation";
    private static final String TOPIC = "hub.rotation.requests";

    @Test
    void thirtySecondsWithoutTheHlrLoseNothingAndCommitNothingAhead() throws Exception {
        try (HubInstance hub = HubInstance.start(Map.of("hub.rotation.batch-size", "10"));
             KafkaTopics kafka = new KafkaTopics(hub);
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                     hub.property("camel.component.kafka.brokers")))) {
            JdbcTemplate db = hub.hubDatabase();
            List<Subscribers> devices = subscribers(71_001, 71_300);
            List<Subscribers> requested = subscribers(72_001, 72_060);
            CampaignApi api = new CampaignApi(hub);
            long id = api.start(rangeBody("rotation", devices.get(0), devices.get(devices.size() - 1), 10));
            api.await(id, v -> count(v, "done") >= 20, Duration.ofSeconds(60));
            // Ten events applied before the outage: the consumer group has committed offsets to compare with.
            for (Subscribers s : requested.subList(0, 10)) {
                kafka.send(TOPIC, s.imsi(), KafkaTopics.rotationRequested(UUID.randomUUID().toString(), s.imsi(), "compromised"));
            }
            awaitApplied(db, requested, 10, Duration.ofSeconds(60));
            long base = committed(admin) - 10;

            var postgres = hub.sandbox().postgres().orElseThrow();
            JdbcTemplate superuser = new JdbcTemplate(new DriverManagerDataSource(postgres.jdbcUrl("postgres"), postgres.username(), ""));
            long doneAtOutage;
            try {
                superuser.execute("ALTER DATABASE hlr ALLOW_CONNECTIONS false");
                superuser.queryForList("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'hlr'");
                sleep(1_000);
                doneAtOutage = count(api.campaign(id), "done");
                for (Subscribers s : requested.subList(10, requested.size())) {
                    kafka.send(TOPIC, s.imsi(), KafkaTopics.rotationRequested(UUID.randomUUID().toString(), s.imsi(), "compromised"));
                }
                long end = System.nanoTime() + Duration.ofSeconds(29).toNanos();
                while (System.nanoTime() < end) {
                    // An offset is committed only after its record's transaction: never ahead of the rows written.
                    long committedEvents = committed(admin) - base;
                    assertThat(committedEvents).isLessThanOrEqualTo(applied(db, requested));
                    sleep(250);
                }
                JsonNode during = api.campaign(id);
                assertThat(count(during, "done")).as("the campaign waits for the HLR").isEqualTo(doneAtOutage);
                assertThat(count(during, "failed") + count(during, "skipped")).isZero();
                assertThat(applied(db, requested)).as("no rotation without the HLR").isEqualTo(10);
                assertThat(committed(admin) - base).isEqualTo(10);
            } finally {
                superuser.execute("ALTER DATABASE hlr ALLOW_CONNECTIONS true");
            }

            JsonNode finished = api.await(id, v -> "completed".equals(v.path("state").asText()), Duration.ofMinutes(3));
            assertThat(count(finished, "done")).isEqualTo(devices.size());
            awaitApplied(db, requested, requested.size(), Duration.ofSeconds(60));
            for (Subscribers s : requested) {
                assertThat(db.queryForObject("SELECT count(*) FROM rotation WHERE imsi = ?", Integer.class, s.imsi())).isEqualTo(1);
            }
            assertThat(committed(admin) - base).isEqualTo(requested.size());
            for (Subscribers device : devices) {
                assertThat(db.queryForObject("SELECT count(*) FROM rotation WHERE imsi = ?", Integer.class, device.imsi()))
                        .isEqualTo(1);
                hub.smsc().awaitSubmit(device.msisdn(), 1, Duration.ofSeconds(60));
            }
            for (Subscribers device : devices) {
                assertThat(hub.smsc().to(device.msisdn())).hasSize(1);
            }
        }
    }

    private static long committed(Admin admin) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(GROUP)
                .partitionsToOffsetAndMetadata().get();
        return offsets.entrySet().stream().filter(e -> e.getKey().topic().equals(TOPIC))
                .mapToLong(e -> e.getValue() == null ? 0 : e.getValue().offset()).sum();
    }

    private static int applied(JdbcTemplate db, List<Subscribers> requested) {
        return db.queryForObject("SELECT count(*) FROM rotation WHERE event_source = 'urn:test:security' AND imsi BETWEEN ? AND ?",
                Integer.class, requested.get(0).imsi(), requested.get(requested.size() - 1).imsi());
    }

    private static void awaitApplied(JdbcTemplate db, List<Subscribers> requested, int n, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (applied(db, requested) < n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + applied(db, requested) + " of " + n + " rotation requests applied");
            }
            sleep(100);
        }
    }
}
