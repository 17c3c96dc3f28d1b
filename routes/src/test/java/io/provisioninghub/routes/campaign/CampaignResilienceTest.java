package io.provisioninghub.routes.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import io.provisioninghub.routes.support.HubInstance;
import io.provisioninghub.routes.support.ProvisioningDocument;
import io.provisioninghub.routes.support.SmscInbox;
import io.provisioninghub.routes.support.Subscribers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.provisioninghub.routes.campaign.CampaignApi.count;
import static io.provisioninghub.routes.campaign.CampaignApi.rangeBody;
import static io.provisioninghub.routes.campaign.CampaignApi.sleep;
import static io.provisioninghub.routes.campaign.CampaignApi.subscribers;
import static io.provisioninghub.routes.support.DeviceClient.table1;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * ROT-3 and RECONF-2 campaigns across replicas and restarts, each test on hubs of its own: two replicas share a
 * campaign and act on each device once at the campaign's rate; a campaign survives a restart of its hub; a changed
 * service template starts a reconfiguration campaign at the next start. Subscribers 66_001..68_010.
 */
class CampaignResilienceTest {

    private final List<HubInstance> hubs = new ArrayList<>();

    @AfterEach
    void stopHubs() {
        for (int i = hubs.size() - 1; i >= 0; i--) {
            hubs.get(i).close();
        }
    }

    private HubInstance start(Map<String, String> overrides) {
        HubInstance hub = HubInstance.start(overrides);
        hubs.add(hub);
        return hub;
    }

    @Test // ROT-3: two replicas, one campaign started on the second: each device rotated and notified once, at the rate
    void twoReplicasNeverProcessADeviceTwice() {
        HubInstance primary = start(Map.of());
        HubInstance replica = HubInstance.startReplicaOf(primary, Map.of());
        hubs.add(replica);
        List<Subscribers> devices = subscribers(67_001, 67_040);

        long id = new CampaignApi(replica).start(rangeBody("rotation", devices.get(0), devices.get(39), 20));

        // Progress is the same whichever replica is asked.
        new CampaignApi(primary).await(id, v -> "completed".equals(v.path("state").asText()), Duration.ofSeconds(60));
        JsonNode view = new CampaignApi(replica).campaign(id);
        assertThat(count(view, "done")).isEqualTo(40);
        for (Subscribers device : devices) {
            primary.smsc().awaitSubmit(device.msisdn(), 1, Duration.ofSeconds(20));
            assertThat(primary.hubDatabase().queryForObject("SELECT count(*) FROM rotation WHERE imsi = ?", Long.class,
                    device.imsi())).isEqualTo(1);
        }
        sleep(1000);
        List<Instant> arrivals = new ArrayList<>();
        for (Subscribers device : devices) {
            assertThat(primary.smsc().to(device.msisdn())).hasSize(1);
            arrivals.add(primary.smsc().to(device.msisdn()).get(0).receivedAt());
        }
        // One dispatcher for the deployment: 40 SMS at 20/s take about 2 s (two would take about 1 s).
        arrivals.sort(null);
        assertThat(Duration.between(arrivals.get(0), arrivals.get(39)).toMillis()).isGreaterThanOrEqualTo(1700);
    }

    @Test // ROT-3, INT-4: the hub stopped mid-campaign → after the restart the campaign completes, each device once
    void campaignSurvivesARestart() {
        Path data = Path.of("target", "hub-instances", "campaign-restart-" + UUID.randomUUID()).toAbsolutePath();
        Map<String, String> settings = Map.of("hub.sandbox.data-dir", data.toString());
        HubInstance first = start(settings);
        List<Subscribers> devices = subscribers(66_001, 66_030);
        long id = new CampaignApi(first).start(rangeBody("rotation", devices.get(0), devices.get(29), 6));
        new CampaignApi(first).await(id, v -> count(v, "done") >= 5, Duration.ofSeconds(30));
        SmscInbox firstSmsc = first.smsc();
        first.close();
        hubs.remove(first);
        Map<String, Integer> sentBefore = new HashMap<>();
        devices.forEach(d -> sentBefore.put(d.msisdn(), firstSmsc.to(d.msisdn()).size()));
        assertThat(sentBefore.values().stream().mapToInt(Integer::intValue).sum()).isLessThan(30); // stopped mid-campaign

        HubInstance second = start(settings);

        CampaignApi api = new CampaignApi(second);
        JsonNode done = api.await(id, v -> "completed".equals(v.path("state").asText()), Duration.ofSeconds(90));
        assertThat(count(done, "done")).isEqualTo(30);
        assertThat(done.path("selected").asLong()).isEqualTo(30);
        sleep(2000);
        for (Subscribers device : devices) {
            assertThat(second.hubDatabase().queryForObject("SELECT count(*) FROM rotation WHERE imsi = ? AND event_source = ?",
                    Long.class, device.imsi(), "urn:provisioning-hub:campaign:" + id)).as(device.imsi()).isEqualTo(1);
            // Every device notified exactly once, by the first hub's SMSC simulator or the second's.
            assertThat(sentBefore.get(device.msisdn()) + second.smsc().to(device.msisdn()).size())
                    .as(device.msisdn()).isEqualTo(1);
        }
    }

    @Test // RECONF-2: a service template changed between two starts → served subscribers marked, campaign triggers them
    void templateChangeStartsAReconfigurationCampaign() {
        Path data = Path.of("target", "hub-instances", "template-change-" + UUID.randomUUID()).toAbsolutePath();
        HubInstance first = start(Map.of("hub.sandbox.data-dir", data.toString()));
        List<Subscribers> served = subscribers(68_001, 68_002);
        Subscribers neverServed = Subscribers.generated(68_003);
        Map<String, Long> versions = new LinkedHashMap<>();
        for (Subscribers s : served) {
            versions.put(s.imsi(), ProvisioningDocument.parse(
                    first.device().configure(s.msisdn(), s.imsi(), table1(0, s.imsi())).body()).version());
        }
        // The first start ever records the fingerprints and triggers nothing.
        awaitFingerprints(first);
        assertThat(first.hubDatabase().queryForObject("SELECT count(*) FROM campaign", Long.class)).isZero();
        first.close();
        hubs.remove(first);

        Map<String, String> changed = new LinkedHashMap<>();
        changed.put("hub.sandbox.data-dir", data.toString());
        changed.put("hub.networks[0].mcc", "001");
        changed.put("hub.networks[0].mnc", "01");
        changed.put("hub.networks[0].parameters.pcscf-address", "pcscf2.ims.mnc001.mcc001.3gppnetwork.org");
        changed.put("hub.networks[0].parameters.conference-factory", "sip:conference-factory@ims.mnc001.mcc001.3gppnetwork.org");
        changed.put("hub.networks[0].parameters.ft-http-server", "https://ft.rcs.mnc001.mcc001.pub.3gppnetwork.org/upload");
        changed.put("hub.reconfiguration.template-change.sms-rate-per-second", "20");
        HubInstance second = start(changed);

        JdbcWait.until(() -> second.hubDatabase().queryForObject("SELECT count(*) FROM campaign WHERE origin = 'template-change'",
                Long.class) == 1, Duration.ofSeconds(30));
        long id = second.hubDatabase().queryForObject("SELECT id FROM campaign WHERE origin = 'template-change'", Long.class);
        JsonNode done = new CampaignApi(second).await(id, v -> "completed".equals(v.path("state").asText()),
                Duration.ofSeconds(60));
        assertThat(done.path("kind").asText()).isEqualTo("reconfiguration");
        assertThat(done.path("smsRatePerSecond").asInt()).isEqualTo(20);
        assertThat(done.path("selection").path("servedSubscribers").path("changedServices").get(0).asText()).isEqualTo("ims");
        assertThat(count(done, "done")).isEqualTo(2);
        for (Subscribers s : served) {
            second.smsc().awaitSubmit(s.msisdn(), 1, Duration.ofSeconds(20));
            // The next check with the old version gets the full document, under a new version.
            ProvisioningDocument document = ProvisioningDocument.parse(
                    second.device().configure(s.msisdn(), s.imsi(), table1(versions.get(s.imsi()), s.imsi())).body());
            assertThat(document.topLevelTypes()).contains("APPLICATION");
            assertThat(document.version()).isGreaterThan(versions.get(s.imsi()));
        }
        assertThat(second.smsc().to(neverServed.msisdn())).isEmpty();
        // A third start with the same templates finds nothing changed.
        second.close();
        hubs.remove(second);
        HubInstance third = start(changed);
        awaitFingerprints(third);
        sleep(2000);
        assertThat(third.hubDatabase().queryForObject("SELECT count(*) FROM campaign", Long.class)).isEqualTo(1);
    }

    @Test // ROT-3, INT-1: the HLR refuses connections mid-campaign → the campaign waits, then completes, each device once
    void campaignWaitsForTheHlrAndCompletes() {
        // The shared hub (a hub start less): the HLR takes connections again when this test ends, whatever happens.
        HubInstance hub = HubInstance.shared();
        List<Subscribers> devices = subscribers(68_201, 68_220);
        CampaignApi api = new CampaignApi(hub);
        long id = api.start(rangeBody("rotation", devices.get(0), devices.get(19), 10));
        api.await(id, v -> count(v, "done") >= 3, Duration.ofSeconds(30));
        var postgres = hub.sandbox().postgres().orElseThrow();
        var admin = new org.springframework.jdbc.core.JdbcTemplate(new org.springframework.jdbc.datasource.DriverManagerDataSource(
                postgres.jdbcUrl("postgres"), postgres.username(), ""));
        long doneAtOutage;
        try {
            admin.execute("ALTER DATABASE hlr ALLOW_CONNECTIONS false");
            admin.queryForList("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'hlr'");
            sleep(1500);
            doneAtOutage = count(api.campaign(id), "done");
            sleep(4000);
            JsonNode during = api.campaign(id);
            assertThat(count(during, "done")).isEqualTo(doneAtOutage); // waiting on the HLR, nothing skipped or failed
            assertThat(count(during, "failed") + count(during, "skipped")).isZero();
            assertThat(during.path("state").asText()).isEqualTo("running");
        } finally {
            admin.execute("ALTER DATABASE hlr ALLOW_CONNECTIONS true");
        }
        JsonNode done = api.await(id, v -> "completed".equals(v.path("state").asText()), Duration.ofSeconds(90));
        assertThat(count(done, "done")).isEqualTo(20);
        assertThat(doneAtOutage).isLessThan(20);
        for (Subscribers device : devices) {
            hub.smsc().awaitSubmit(device.msisdn(), 1, Duration.ofSeconds(20));
        }
        sleep(1000);
        for (Subscribers device : devices) {
            assertThat(hub.smsc().to(device.msisdn())).hasSize(1);
            assertThat(hub.hubDatabase().queryForObject("SELECT count(*) FROM rotation WHERE imsi = ?", Long.class,
                    device.imsi())).isEqualTo(1);
        }
    }

    @Test // issue 4 periodic refresh: credentials older than max-credential-age are rotated (reason due), one campaign at a time
    void periodicRefreshRotatesOldCredentials() {
        HubInstance hub = start(Map.of("hub.rotation.refresh.enabled", "true",
                "hub.rotation.refresh.max-credential-age", "20000d",
                "hub.rotation.refresh.check-interval", "3s",
                "hub.rotation.refresh.sms-rate-per-second", "50"));
        List<Subscribers> old = subscribers(68_101, 68_103);
        old.forEach(s -> hub.hlrDatabase().update("UPDATE auc_3g SET credential_updated_at = now() - interval '20001 days' "
                + "WHERE subscriber_id = (SELECT id FROM subscriber WHERE imsi = ?)", s.imsi()));

        JdbcWait.until(() -> hub.hubDatabase().queryForObject("SELECT count(*) FROM campaign WHERE origin = 'refresh' "
                + "AND state = 'completed' AND selected = 3", Long.class) >= 1, Duration.ofSeconds(60));
        long first = hub.hubDatabase().queryForObject("SELECT min(id) FROM campaign WHERE origin = 'refresh' AND selected = 3",
                Long.class);
        assertThat(hub.hubDatabase().queryForList("SELECT imsi FROM rotation WHERE event_source = ? AND reason = 'due' "
                + "ORDER BY imsi", String.class, "urn:provisioning-hub:campaign:" + first))
                .containsExactlyElementsOf(old.stream().map(Subscribers::imsi).toList());
        for (Subscribers s : old) {
            hub.smsc().awaitSubmit(s.msisdn(), 1, Duration.ofSeconds(20));
        }
        // The next refresh finds the same old credentials (not rotated yet: the devices have not answered), and
        // skips them: their rotation is still in progress.
        JdbcWait.until(() -> hub.hubDatabase().queryForObject("SELECT count(*) FROM campaign c WHERE origin = 'refresh' "
                + "AND id > ? AND state = 'completed' AND (SELECT count(*) FROM campaign_device d WHERE d.campaign_id = c.id "
                + "AND d.state = 'skipped') = 3", Long.class, first) >= 1, Duration.ofSeconds(30));
        assertThat(hub.hubDatabase().queryForObject("SELECT count(*) FROM rotation WHERE reason = 'due'", Long.class))
                .isEqualTo(3);
        assertThat(hub.hubDatabase().queryForObject("SELECT count(*) FROM campaign WHERE origin = 'refresh' "
                + "AND state IN ('fanning_out', 'running', 'paused')", Long.class)).isLessThanOrEqualTo(1);
    }

    private static void awaitFingerprints(HubInstance hub) {
        JdbcWait.until(() -> hub.hubDatabase().queryForObject("SELECT count(*) FROM service_template_fingerprint",
                Long.class) == 2, Duration.ofSeconds(20));
    }

    /** Polls a condition on the database. */
    static final class JdbcWait {
        static void until(java.util.function.BooleanSupplier condition, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!condition.getAsBoolean()) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("condition not met within " + timeout);
                }
                sleep(100);
            }
        }
    }
}
