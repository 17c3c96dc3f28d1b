package io.provisioninghub.routes.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import io.provisioninghub.connectors.smsc.simulator.RecordedSubmit;
import io.provisioninghub.routes.support.SharedHubTest;
import io.provisioninghub.routes.support.Subscribers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static io.provisioninghub.routes.campaign.CampaignApi.count;
import static io.provisioninghub.routes.campaign.CampaignApi.listBody;
import static io.provisioninghub.routes.campaign.CampaignApi.rangeBody;
import static io.provisioninghub.routes.campaign.CampaignApi.sleep;
import static io.provisioninghub.routes.campaign.CampaignApi.subscribers;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * ROT-3 and RECONF-2 campaigns on the shared sandbox hub, end to end: the operator API over HTTPS, the trigger SMS
 * at the SMSC simulator (octets), the rotation rows in the hub's database, the HLR rows the selections read.
 * Subscribers: generated 40_001..40_010 and 61_001..65_015, one range per test.
 */
class CampaignTest extends SharedHubTest {

    private static CampaignApi api;

    @BeforeAll
    static void operatorApi() {
        api = new CampaignApi(hub);
    }

    @Test // ROT-3, RECONF-1/2: an explicit list → one rotation and one §3 trigger SMS per device; progress by state
    void rotationCampaignOverAnExplicitList() {
        List<Subscribers> devices = subscribers(40_001, 40_010);
        List<String> imsis = new ArrayList<>(devices.stream().map(Subscribers::imsi).toList());
        imsis.add("001019999999999"); // unknown to the HLR
        imsis.add(devices.get(0).imsi()); // listed twice, rotated once

        long id = api.start(listBody("rotation", imsis, 50, "compromised"));

        JsonNode done = api.await(id, v -> "completed".equals(v.path("state").asText()), Duration.ofSeconds(60));
        assertThat(done.path("selected").asLong()).isEqualTo(11);
        assertThat(count(done, "done")).isEqualTo(10);
        assertThat(count(done, "failed")).isEqualTo(1); // the unknown IMSI: its rotation failed at once
        assertThat(count(done, "pending")).isZero();
        assertThat(done.path("selection").path("imsiCount").asInt()).isEqualTo(11);
        String source = "urn:provisioning-hub:campaign:" + id;
        for (Subscribers device : devices) {
            assertThat(hub.hubDatabase().queryForList("SELECT reason FROM rotation WHERE event_source = ? AND imsi = ?",
                    String.class, source, device.imsi())).containsExactly("compromised");
            hub.smsc().awaitSubmit(device.msisdn(), 1, Duration.ofSeconds(20));
        }
        assertThat(hub.hubDatabase().queryForObject("SELECT failure_reason FROM rotation WHERE event_source = ? "
                + "AND imsi = '001019999999999'", String.class, source)).isEqualTo("unknown subscriber");
        // §3 / RECONF-1 on the wire: DCS 0x08, UDH 06 05 04 9199 0000, "<IMPI>-rcscfg" in UCS2.
        RecordedSubmit sms = hub.smsc().to(devices.get(3).msisdn()).get(0);
        assertThat(sms.dataCoding()).isEqualTo(0x08);
        byte[] octets = sms.shortMessage();
        assertThat(HexFormat.of().formatHex(octets, 0, 7)).isEqualTo("06050491990000");
        assertThat(new String(Arrays.copyOfRange(octets, 7, octets.length), StandardCharsets.UTF_16BE))
                .isEqualTo(devices.get(3).imsi() + "@ims.mnc001.mcc001.3gppnetwork.org-rcscfg");
        sleep(1000);
        for (Subscribers device : devices) {
            assertThat(hub.smsc().to(device.msisdn())).hasSize(1);
        }
    }

    @Test // ROT-3: an IMSI range selects exactly the HLR subscribers in it; the list shows the campaign
    void rotationCampaignOverAnImsiRange() {
        List<Subscribers> devices = subscribers(61_001, 61_020);

        long id = api.start(rangeBody("rotation", devices.get(0), devices.get(19), 100));

        JsonNode done = api.await(id, v -> "completed".equals(v.path("state").asText()), Duration.ofSeconds(60));
        assertThat(count(done, "done")).isEqualTo(20);
        assertThat(done.path("reason").asText()).isEqualTo("operator");
        assertThat(hub.hubDatabase().queryForObject("SELECT count(DISTINCT imsi) FROM rotation WHERE event_source = ?",
                Long.class, "urn:provisioning-hub:campaign:" + id)).isEqualTo(20);
        for (Subscribers device : devices) {
            hub.smsc().awaitSubmit(device.msisdn(), 1, Duration.ofSeconds(20));
        }
        // Neighbours outside the range were not touched.
        assertThat(hub.smsc().to(Subscribers.generated(61_021).msisdn())).isEmpty();
        JsonNode list = CampaignApi.read(api.get("/operator/v1/campaigns").body());
        assertThat(list.path("campaigns").findValuesAsText("id")).contains(Long.toString(id));
    }

    @Test // ROT-3: pause stops the SMS, resume finishes the campaign, each device notified once
    void pauseAndResume() {
        List<Subscribers> devices = subscribers(62_001, 62_030);
        long id = api.start(rangeBody("reconfiguration", devices.get(0), devices.get(29), 5));
        api.await(id, v -> count(v, "done") >= 3, Duration.ofSeconds(30));

        assertThat(api.post("/operator/v1/campaigns/" + id + "/pause", null).statusCode()).isEqualTo(200);
        sleep(1500); // the device in hand when paused, and its SMS, may still go
        int sentWhenPaused = sent(devices);
        long doneWhenPaused = count(api.campaign(id), "done");
        sleep(3000);

        JsonNode paused = api.campaign(id);
        assertThat(paused.path("state").asText()).isEqualTo("paused");
        assertThat(sent(devices)).isEqualTo(sentWhenPaused);
        assertThat(count(paused, "done")).isEqualTo(doneWhenPaused);
        assertThat(count(paused, "pending")).isPositive();
        assertThat(api.post("/operator/v1/campaigns/" + id + "/pause", null).statusCode()).isEqualTo(409);

        assertThat(api.post("/operator/v1/campaigns/" + id + "/resume", null).statusCode()).isEqualTo(200);
        JsonNode done = api.await(id, v -> "completed".equals(v.path("state").asText()), Duration.ofSeconds(60));
        assertThat(count(done, "done")).isEqualTo(30);
        for (Subscribers device : devices) {
            hub.smsc().awaitSubmit(device.msisdn(), 1, Duration.ofSeconds(20));
        }
        sleep(500);
        assertThat(sent(devices)).isEqualTo(30);
        // RECONF-2: each was marked for the full document.
        assertThat(hub.hubDatabase().queryForObject("SELECT count(*) FROM subscriber_config WHERE resend_requested "
                + "AND imsi IN (" + devices.stream().map(d -> "'" + d.imsi() + "'").collect(Collectors.joining(",")) + ")",
                Long.class)).isEqualTo(30);
    }

    @Test // ROT-3: cancel marks the pending devices cancelled; no SMS after it
    void cancel() {
        List<Subscribers> devices = subscribers(63_001, 63_040);
        long id = api.start(rangeBody("rotation", devices.get(0), devices.get(39), 4));
        api.await(id, v -> count(v, "done") >= 2, Duration.ofSeconds(30));

        HttpResponse<String> cancelled = api.post("/operator/v1/campaigns/" + id + "/cancel", null);

        assertThat(cancelled.statusCode()).isEqualTo(200);
        JsonNode view = CampaignApi.read(cancelled.body());
        assertThat(view.path("state").asText()).isEqualTo("cancelled");
        assertThat(count(view, "pending")).isZero();
        assertThat(count(view, "cancelled")).isPositive();
        sleep(1500);
        int sentAfterCancel = sent(devices);
        long done = count(api.campaign(id), "done");
        sleep(2500);
        assertThat(sent(devices)).isEqualTo(sentAfterCancel);
        assertThat(sentAfterCancel).isEqualTo((int) done);
        assertThat(count(api.campaign(id), "done") + count(api.campaign(id), "cancelled")).isEqualTo(40);
        assertThat(hub.hubDatabase().queryForObject("SELECT count(*) FROM rotation WHERE event_source = ?", Long.class,
                "urn:provisioning-hub:campaign:" + id)).isEqualTo(done);
        assertThat(api.post("/operator/v1/campaigns/" + id + "/resume", null).statusCode()).isEqualTo(409);
        // The queued chunks of the cancelled campaign are dropped.
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline && hub.hubDatabase().queryForObject(
                "SELECT work_drained_at IS NULL FROM campaign WHERE id = ?", Boolean.class, id)) {
            sleep(100);
        }
        assertThat(hub.hubDatabase().queryForObject("SELECT work_drained_at IS NOT NULL FROM campaign WHERE id = ?",
                Boolean.class, id)).isTrue();
    }

    @Test // ROT-3: paced at the campaign's SMS rate (10/s here, the hub's cap being 200/s)
    void pacedAtTheCampaignRate() {
        List<Subscribers> devices = subscribers(64_001, 64_040);
        long id = api.start(rangeBody("reconfiguration", devices.get(0), devices.get(39), 10));
        api.await(id, v -> "completed".equals(v.path("state").asText()), Duration.ofSeconds(60));

        List<Instant> arrivals = new ArrayList<>();
        for (Subscribers device : devices) {
            arrivals.add(hub.smsc().awaitSubmit(device.msisdn(), 1, Duration.ofSeconds(20)).receivedAt());
        }
        arrivals.sort(null);
        double seconds = Duration.between(arrivals.get(0), arrivals.get(39)).toMillis() / 1000.0;
        // 40 SMS at 10/s: the last at least (40 - 1 - burst 1) / 10 s after the first, whatever the machine's load.
        assertThat(seconds).isGreaterThanOrEqualTo(38 / 10.0 - 0.1);
        // The dispatch takes one permit per 100 ms; what reaches the SMSC also carries the jitter of each device's
        // lookups and of the outbox (a busy 2-core CI machine showed 13 at 8/s). Unpaced, all 40 arrive within a
        // second or two at the hub's 200/s.
        assertThat(maxInAnySecond(arrivals)).isLessThanOrEqualTo(10 + 10 / 2 + 1);
        // And where the campaign paces: the SMS's queueing times, at most the rate plus a burst of one and the jitter.
        List<Instant> queued = hub.hubDatabase().queryForList("SELECT created_at FROM sms_message WHERE msisdn = ANY(?) "
                + "ORDER BY created_at", java.sql.Timestamp.class, (Object) devices.stream().map(Subscribers::msisdn)
                .toArray(String[]::new)).stream().map(java.sql.Timestamp::toInstant).toList();
        assertThat(queued).hasSize(40);
        assertThat(maxInAnySecond(queued)).isLessThanOrEqualTo(10 + 10 / 2 + 1);
    }

    private static int maxInAnySecond(List<Instant> sorted) {
        int max = 0;
        for (int i = 0; i < sorted.size(); i++) {
            int inWindow = 0;
            for (int j = i; j < sorted.size() && Duration.between(sorted.get(i), sorted.get(j)).toMillis() < 1000; j++) {
                inWindow++;
            }
            max = Math.max(max, inWindow);
        }
        return max;
    }

    @Test // ROT-3: device model (TAC) and credential age are read from the HLR record
    void tacAndCredentialAgeSelections() {
        List<Subscribers> model = subscribers(65_001, 65_005);
        List<Subscribers> old = subscribers(65_011, 65_015);
        model.forEach(s -> hub.hlrDatabase().update("UPDATE subscriber SET imei = '99887766' || substr(imsi, 9, 7) "
                + "WHERE imsi = ?", s.imsi()));
        old.forEach(s -> hub.hlrDatabase().update("UPDATE auc_3g SET credential_updated_at = now() - interval '20001 days' "
                + "WHERE subscriber_id = (SELECT id FROM subscriber WHERE imsi = ?)", s.imsi()));

        long byTac = api.start("{\"kind\":\"reconfiguration\",\"selection\":{\"tac\":\"99887766\"},\"smsRatePerSecond\":50}");
        long byAge = api.start("{\"kind\":\"rotation\",\"selection\":{\"credentialAgeDays\":20000},"
                + "\"smsRatePerSecond\":50,\"reason\":\"due\"}");

        api.await(byTac, v -> "completed".equals(v.path("state").asText()), Duration.ofSeconds(60));
        api.await(byAge, v -> "completed".equals(v.path("state").asText()), Duration.ofSeconds(60));
        assertThat(devicesOf(byTac)).containsExactlyElementsOf(model.stream().map(Subscribers::imsi).toList());
        assertThat(devicesOf(byAge)).containsExactlyElementsOf(old.stream().map(Subscribers::imsi).toList());
        assertThat(hub.hubDatabase().queryForList("SELECT imsi FROM rotation WHERE event_source = ? AND reason = 'due' "
                + "ORDER BY imsi", String.class, "urn:provisioning-hub:campaign:" + byAge))
                .containsExactlyElementsOf(old.stream().map(Subscribers::imsi).toList());
        for (Subscribers device : model) {
            hub.smsc().awaitSubmit(device.msisdn(), 1, Duration.ofSeconds(20));
        }
    }

    @Test // ROT-3: bad bodies get a 400 with a clear message, never a 500; unknown campaigns 404
    void badRequestsAreRefused() {
        Map<String, String> bodies = new java.util.LinkedHashMap<>();
        bodies.put("not json", "kind");
        bodies.put("{}", "kind");
        bodies.put("{\"kind\":\"wipe\",\"selection\":{\"tac\":\"35123456\"},\"smsRatePerSecond\":5}", "kind");
        bodies.put("{\"kind\":\"rotation\",\"smsRatePerSecond\":5}", "selection");
        bodies.put("{\"kind\":\"rotation\",\"selection\":{\"tac\":\"35123456\",\"credentialAgeDays\":3},\"smsRatePerSecond\":5}", "exactly one");
        bodies.put("{\"kind\":\"rotation\",\"selection\":{\"imsis\":[\"12345\"]},\"smsRatePerSecond\":5}", "15-digit");
        bodies.put("{\"kind\":\"rotation\",\"selection\":{\"imsis\":[]},\"smsRatePerSecond\":5}", "non-empty");
        bodies.put("{\"kind\":\"rotation\",\"selection\":{\"imsiRange\":{\"from\":\"001011000000009\",\"to\":\"001011000000001\"}},\"smsRatePerSecond\":5}", "from");
        bodies.put("{\"kind\":\"rotation\",\"selection\":{\"tac\":\"3512\"},\"smsRatePerSecond\":5}", "8-digit");
        bodies.put("{\"kind\":\"rotation\",\"selection\":{\"credentialAgeDays\":0},\"smsRatePerSecond\":5}", "credentialAgeDays");
        bodies.put("{\"kind\":\"rotation\",\"selection\":{\"everyone\":true},\"smsRatePerSecond\":5}", "unknown selection");
        bodies.put("{\"kind\":\"rotation\",\"selection\":{\"tac\":\"35123456\"},\"smsRatePerSecond\":201}", "hub.sms.rate-per-second");
        bodies.put("{\"kind\":\"rotation\",\"selection\":{\"tac\":\"35123456\"},\"smsRatePerSecond\":0}", "smsRatePerSecond");
        bodies.put("{\"kind\":\"rotation\",\"selection\":{\"tac\":\"35123456\"}}", "smsRatePerSecond");
        bodies.put("{\"kind\":\"rotation\",\"selection\":{\"tac\":\"35123456\"},\"smsRatePerSecond\":5,\"reason\":\"fun\"}", "reason");
        bodies.put("{\"kind\":\"reconfiguration\",\"selection\":{\"tac\":\"35123456\"},\"smsRatePerSecond\":5,\"reason\":\"due\"}", "reason");
        long before = hub.hubDatabase().queryForObject("SELECT count(*) FROM campaign", Long.class);
        bodies.forEach((body, message) -> {
            HttpResponse<String> response = api.post("/operator/v1/campaigns", body);
            assertThat(response.statusCode()).as(body).isEqualTo(400);
            assertThat(CampaignApi.read(response.body()).path("error").asText()).as(body).contains(message);
        });
        assertThat(hub.hubDatabase().queryForObject("SELECT count(*) FROM campaign", Long.class)).isEqualTo(before);
        assertThat(api.get("/operator/v1/campaigns/999999999").statusCode()).isEqualTo(404);
        assertThat(api.get("/operator/v1/campaigns/abc").statusCode()).isEqualTo(400);
        assertThat(api.post("/operator/v1/campaigns/999999999/pause", null).statusCode()).isEqualTo(404);
        assertThat(api.post("/operator/v1/campaigns/1/explode", null).statusCode()).isEqualTo(404);
    }

    @Test // OPS-4: the campaign API wants an operator access token, and HTTPS on the operator plane
    void operatorTokenAndHttpsRequired() {
        String body = "{\"kind\":\"reconfiguration\",\"selection\":{\"tac\":\"12121212\"},\"smsRatePerSecond\":5}";
        HttpResponse<String> noToken = api.client().send(java.net.http.HttpRequest.newBuilder(
                        api.client().uri("/operator/v1/campaigns"))
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build());
        HttpResponse<String> wrongToken = api.client().send(java.net.http.HttpRequest.newBuilder(
                        api.client().uri("/operator/v1/campaigns"))
                .header("Authorization", "Bearer guess").GET().build());
        // The device plane (plain HTTP and HTTPS) has no operator API at all, even with a valid token.
        HttpResponse<String> plainHttp = device.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://localhost:" + hub.httpPort() + "/operator/v1/campaigns"))
                .header("Authorization", "Bearer " + api.client().accessToken()).GET().build());
        HttpResponse<String> deviceHttps = device.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("https://localhost:" + hub.httpsPort() + "/operator/v1/campaigns"))
                .header("Authorization", "Bearer " + api.client().accessToken()).GET().build());

        assertThat(noToken.statusCode()).isEqualTo(401);
        assertThat(wrongToken.statusCode()).isEqualTo(401);
        assertThat(plainHttp.statusCode()).isEqualTo(404);
        assertThat(deviceHttps.statusCode()).isEqualTo(404);
        assertThat(hub.hubDatabase().queryForObject("SELECT count(*) FROM campaign WHERE selection LIKE '%12121212%'",
                Long.class)).isZero();
    }

    private static List<String> devicesOf(long campaignId) {
        return hub.hubDatabase().queryForList("SELECT imsi FROM campaign_device WHERE campaign_id = ? ORDER BY imsi",
                String.class, campaignId);
    }

    private static int sent(List<Subscribers> devices) {
        return devices.stream().mapToInt(d -> hub.smsc().to(d.msisdn()).size()).sum();
    }
}
