package io.provisioninghub.routes.rotation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.ECKey;
import io.provisioninghub.connectors.smsc.simulator.RecordedSubmit;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.provisioninghub.routes.support.HubInstance;
import io.provisioninghub.routes.support.KafkaTopics;
import io.provisioninghub.routes.support.LogCapture;
import io.provisioninghub.routes.support.OtlpReceiver;
import io.provisioninghub.routes.support.RotatingDevice;
import io.provisioninghub.routes.support.SharedHubTest;
import io.provisioninghub.routes.support.Subscribers;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.provisioninghub.routes.support.DeviceClient.table1;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole credential rotation of issue 4 (ROT-1, ROT-2, RECONF-1), end to end over the real systems: a rotation event on
 * Kafka → the §3 trigger SMS octets at the SMSC simulator → the device fetches its configuration (CREDENTIAL-ROTATION
 * with a nonce) → it proposes a new K, signed and encrypted → K and OPc change in the HLR's auc_3g row → the result event
 * is read back from Kafka. Then the ways a proposal is refused.
 */
class CredentialRotationTest extends SharedHubTest {

    /** hub.rotation.op of the sandbox (TS 35.207 test set 1 OP, sandbox/rotation-keys.json). */
    private static final byte[] SANDBOX_OP = HexFormat.of().parseHex("cdc202d5123e20f62b6d676ac72cb318");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static KafkaTopics kafka;

    @BeforeAll
    static void connect() {
        kafka = new KafkaTopics(hub);
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    @Test // ROT-1, ROT-2, RECONF-1: event → trigger SMS → nonce in the configuration → signed proposal → HLR → result event
    void compromisedDeviceRotatesItsK() throws Exception {
        Subscribers user = Subscribers.generated(20_980);
        RotatingDevice phone = deviceWithKeyOnRecord(user);
        String eventId = requestRotation(user);

        RecordedSubmit trigger = hub.smsc().awaitSubmit(user.msisdn(), 1, Duration.ofSeconds(30));
        // RECONF-1: UCS2, UDH application port 37273, "<IMPI>-rcscfg" (the sandbox enables IMS services)
        assertThat(trigger.dataCoding()).isEqualTo((byte) 0x08);
        assertThat(HexFormat.of().formatHex(trigger.udh())).isEqualTo("06050491990000");
        assertThat(trigger.text()).isEqualTo(user.imsi() + "@ims.mnc001.mcc001.3gppnetwork.org-rcscfg");

        RotatingDevice.Challenge challenge = fetchChallenge(user);
        assertThat(challenge.nonce()).matches("[A-Za-z0-9_-]{43}");
        assertThat(challenge.url()).isEqualTo("https://localhost:" + hub.httpsPort() + "/rotation/v1/proposals");
        assertThat(challenge.encryptionKey().isPrivate()).isFalse();
        byte[] newK = RotatingDevice.newK();

        HttpResponse<String> answer = phone.post(challenge.url(), phone.proposal(challenge, newK));

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(JSON.readTree(answer.body()).get("outcome").asText()).isEqualTo("rotated");
        Map<String, Object> auc = hlrCredential(user.imsi());
        assertThat(auc.get("k")).isEqualTo(HexFormat.of().formatHex(newK));
        assertThat(auc.get("opc")).isEqualTo(HexFormat.of().formatHex(MilenageOpc.of(newK, SANDBOX_OP)));
        assertThat(auc.get("op")).isNull();
        assertThat((Boolean) auc.get("fresh")).isTrue();
        assertThat(hub.hubDatabase().queryForMap("SELECT state, nonce_hash, device_key FROM rotation WHERE event_id = ?", eventId))
                .containsEntry("state", "rotated").containsEntry("nonce_hash", null)
                .containsEntry("device_key", phone.signingKey().toPublicJWK().computeThumbprint().toString());
        assertResult(eventId, user.imsi(), "rotated", null);
        // After the rotation the device's configuration carries no rotation any more.
        assertThat(RotatingDevice.challengeIn(hub.device().configure(user.msisdn(), user.imsi(), table1(0, user.imsi())).body()))
                .isEmpty();
    }

    @Test // issue 14: one rotation, one trace: event → trigger SMS → device's proposal → HLR write → result event
    void oneRotationIsOneTrace() throws Exception {
        Subscribers user = Subscribers.generated(20_989);
        RotatingDevice phone = deviceWithKeyOnRecord(user);
        // The security team's producer sends its own trace context (W3C) with the event: the rotation continues it.
        byte[] id = new byte[16];
        new java.security.SecureRandom().nextBytes(id);
        String traceId = HexFormat.of().formatHex(id);
        try (LogCapture logs = new LogCapture()) {
            String eventId = requestRotation(user, Map.of("traceparent", "00-" + traceId + "-a1b2c3d4e5f60718-01"));
            hub.smsc().awaitSubmit(user.msisdn(), 1, Duration.ofSeconds(30));
            RotatingDevice.Challenge challenge = fetchChallenge(user);
            assertThat(phone.post(challenge.url(), phone.proposal(challenge, RotatingDevice.newK())).statusCode())
                    .isEqualTo(200);
            assertResult(eventId, user.imsi(), "rotated", null);

            // The result event carries the trace onwards in its Kafka headers ...
            ConsumerRecord<String, String> result = kafka.read("hub.rotation.results", 1, Duration.ofSeconds(30),
                    r -> r.value().contains(eventId)).get(0);
            String resultParent = new String(result.headers().lastHeader("traceparent").value(), StandardCharsets.UTF_8);
            assertThat(resultParent).startsWith("00-" + traceId + "-");
            // ... and the hub exported every step as a span of that one trace (OTLP, to the test's receiver): the event,
            // the trigger's billing lookup (GET), the SMS attempt and its submit_sm (smpp), the proposal with its HLR
            // reads and write (sql), the result event's send.
            List<String> steps = List.of("hub.rotation.requested", "hub.rotation.trigger", "GET", "hub.sms.send", "smpp",
                    "hub.rotation.proposal", "sql", "hub.rotation.result", "hub.rotation.results");
            List<OtlpReceiver.ReceivedSpan> spans = HubInstance.sharedTraces().await(s -> s.traceId().equals(traceId),
                    found -> found.stream().map(OtlpReceiver.ReceivedSpan::name).toList().containsAll(steps),
                    Duration.ofSeconds(20));
            assertThat(spans).extracting(OtlpReceiver.ReceivedSpan::name).containsAll(steps);
            // A tree, not just one id: the HLR's statements hang under the proposal, the event's span under the
            // producer's.
            String proposal = spans.stream().filter(s -> s.name().equals("hub.rotation.proposal")).findFirst()
                    .orElseThrow().spanId();
            assertThat(spans).anySatisfy(s -> assertThat(s.name() + " " + s.parentSpanId()).isEqualTo("sql " + proposal));
            assertThat(spans).anySatisfy(s -> assertThat(s.name() + " " + s.parentSpanId())
                    .isEqualTo("hub.rotation.requested a1b2c3d4e5f60718"));
            assertThat(spans).extracting(OtlpReceiver.ReceivedSpan::spanId).contains(resultParent.split("-")[2]);
            // The trigger SMS's JMS message carried the context too: the outbox consumer's span is in the trace.
            assertThat(spans).extracting(OtlpReceiver.ReceivedSpan::name).contains("queue:hub.sms.outbox");

            // Every line the hub wrote about this subscriber (the rotation's, the device's requests') names a trace
            // and a flow; the rotation's lines name the rotation's trace.
            String subscriber = io.provisioninghub.routes.common.Redaction.ref(user.imsi());
            List<ILoggingEvent> aboutSubscriber = logs.events(e -> e.getFormattedMessage().contains(subscriber)
                    && e.getLoggerName().startsWith("io.provisioninghub") && !e.getLoggerName().contains("simulator"));
            assertThat(aboutSubscriber).isNotEmpty().allSatisfy(line -> assertThat(line.getMDCPropertyMap())
                    .as(line.getFormattedMessage()).containsKeys("traceId", "flow"));
            // The lines written for the rotation carry its trace id and its flow.
            List<ILoggingEvent> written = logs.await(e -> e.getFormattedMessage().contains("new K and OPc written"),
                    Duration.ofSeconds(5));
            assertThat(written).singleElement().satisfies(line -> {
                assertThat(line.getMDCPropertyMap()).containsEntry("traceId", traceId).containsEntry("flow", "rotation");
                assertThat(logs.consoleLine(line)).contains("[" + traceId + ",rotation]");
            });
        }
    }

    @Test // ROT-2 replay protection: a proposal sent twice is applied once; the nonce is single use
    void replayedProposalIsRefusedAndChangesNothing() throws Exception {
        Subscribers user = Subscribers.generated(20_981);
        RotatingDevice phone = deviceWithKeyOnRecord(user);
        String eventId = requestRotation(user);
        RotatingDevice.Challenge challenge = fetchChallenge(user);
        byte[] firstK = RotatingDevice.newK();
        String proposal = phone.proposal(challenge, firstK);
        assertThat(phone.post(challenge.url(), proposal).statusCode()).isEqualTo(200);

        HttpResponse<String> replay = phone.post(challenge.url(), proposal);
        HttpResponse<String> sameNonceOtherK = phone.post(challenge.url(), phone.proposal(challenge, RotatingDevice.newK()));

        assertThat(replay.statusCode()).isEqualTo(403);
        assertThat(replay.body()).contains("unknown or used nonce");
        assertThat(sameNonceOtherK.statusCode()).isEqualTo(403);
        assertThat(hlrCredential(user.imsi()).get("k")).isEqualTo(HexFormat.of().formatHex(firstK));
        assertResult(eventId, user.imsi(), "rotated", null);
        assertThat(kafka.read("hub.rotation.results", 2, Duration.ofSeconds(3), r -> r.value().contains(eventId))).hasSize(1);
    }

    @Test // ROT-2 proof of possession: a proposal signed by another key fails the rotation, with the reason
    void wrongSignatureFailsTheRotation() throws Exception {
        Subscribers user = Subscribers.generated(20_982);
        deviceWithKeyOnRecord(user);
        RotatingDevice impostor = new RotatingDevice(hub.device(), user.imsi(), hlrImei(user.imsi()), RotatingDevice.newKey());
        String eventId = requestRotation(user);
        String kBefore = (String) hlrCredential(user.imsi()).get("k");
        RotatingDevice.Challenge challenge = fetchChallenge(user);

        HttpResponse<String> answer = impostor.post(challenge.url(), impostor.proposal(challenge, RotatingDevice.newK()));

        assertThat(answer.statusCode()).isEqualTo(403);
        assertThat(answer.body()).contains("failed");
        assertThat(hlrCredential(user.imsi()).get("k")).isEqualTo(kBefore);
        assertResult(eventId, user.imsi(), "failed", "signed with another key than the device key on record");
    }

    @Test // ROT-2 proof of possession: the right kid, but a signature the key on record did not make
    void tamperedSignatureFailsTheRotation() throws Exception {
        Subscribers user = Subscribers.generated(20_988);
        RotatingDevice phone = deviceWithKeyOnRecord(user);
        String eventId = requestRotation(user);
        String kBefore = (String) hlrCredential(user.imsi()).get("k");
        RotatingDevice.Challenge challenge = fetchChallenge(user);
        String[] parts = phone.proposal(challenge, RotatingDevice.newK()).split("\\.");
        byte[] signature = java.util.Base64.getUrlDecoder().decode(parts[2]);
        signature[10] ^= 0x01;
        String tampered = parts[0] + "." + parts[1] + "." + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(signature);

        HttpResponse<String> answer = phone.post(challenge.url(), tampered);

        assertThat(answer.statusCode()).isEqualTo(403);
        assertThat(hlrCredential(user.imsi()).get("k")).isEqualTo(kBefore);
        assertResult(eventId, user.imsi(), "failed", "the signature does not verify with the device key on record");
    }

    @Test // ROT-2: a device whose key is not on record cannot rotate
    void deviceKeyNotOnRecordFailsTheRotation() throws Exception {
        Subscribers user = Subscribers.generated(20_983);
        RotatingDevice unknown = new RotatingDevice(hub.device(), user.imsi(), hlrImei(user.imsi()), RotatingDevice.newKey());
        String eventId = requestRotation(user);
        String kBefore = (String) hlrCredential(user.imsi()).get("k");
        RotatingDevice.Challenge challenge = fetchChallenge(user);

        HttpResponse<String> answer = unknown.post(challenge.url(), unknown.proposal(challenge, RotatingDevice.newK()));

        assertThat(answer.statusCode()).isEqualTo(403);
        assertThat(hlrCredential(user.imsi()).get("k")).isEqualTo(kBefore);
        assertResult(eventId, user.imsi(), "failed", "no device key on record for this IMSI/IMEI");
    }

    @Test // ROT-2 identity binding: the IMEI must be the HLR's, and the IMSI the nonce's
    void proposalForAnotherDeviceFailsTheRotation() throws Exception {
        Subscribers user = Subscribers.generated(20_984);
        ECKey key = RotatingDevice.newKey();
        putDeviceKey(user.imsi(), "356938035643809", key);  // a key for another IMEI than the HLR's
        RotatingDevice otherHandset = new RotatingDevice(hub.device(), user.imsi(), "356938035643809", key);
        String eventId = requestRotation(user);
        RotatingDevice.Challenge challenge = fetchChallenge(user);

        HttpResponse<String> answer = otherHandset.post(challenge.url(), otherHandset.proposal(challenge, RotatingDevice.newK()));

        assertThat(answer.statusCode()).isEqualTo(403);
        assertResult(eventId, user.imsi(), "failed", "the proposal's IMEI is not the subscriber's device in the HLR");
    }

    @Test // ROT-2: once the rotation expired (the device never answered in time), its nonce is worth nothing
    void proposalAfterTheRotationExpiredIsRefused() throws Exception {
        Subscribers user = Subscribers.generated(20_985);
        RotatingDevice phone = deviceWithKeyOnRecord(user);
        String eventId = requestRotation(user);
        RotatingDevice.Challenge challenge = fetchChallenge(user);
        String kBefore = (String) hlrCredential(user.imsi()).get("k");
        // hub.rotation.max-notifications used up and the back-off run out: the follow-up expires the rotation.
        hub.hubDatabase().update("UPDATE rotation SET notifications = 3, next_notify_at = now() - interval '1 second' "
                + "WHERE event_id = ?", eventId);
        assertResult(eventId, user.imsi(), "expired", null);

        HttpResponse<String> late = phone.post(challenge.url(), phone.proposal(challenge, RotatingDevice.newK()));

        assertThat(late.statusCode()).isEqualTo(403);
        assertThat(late.body()).contains("unknown or used nonce");
        assertThat(hlrCredential(user.imsi()).get("k")).isEqualTo(kBefore);
    }

    @Test // ROT-2: an expired nonce is refused without failing the rotation; a fresh configuration gives a new one
    void expiredNonceIsRefusedAndANewOneWorks() throws Exception {
        Subscribers user = Subscribers.generated(20_986);
        RotatingDevice phone = deviceWithKeyOnRecord(user);
        String eventId = requestRotation(user);
        RotatingDevice.Challenge stale = fetchChallenge(user);
        hub.hubDatabase().update("UPDATE rotation SET nonce_expires_at = now() - interval '1 second' WHERE event_id = ?", eventId);

        HttpResponse<String> tooLate = phone.post(stale.url(), phone.proposal(stale, RotatingDevice.newK()));
        RotatingDevice.Challenge fresh = fetchChallenge(user);
        HttpResponse<String> staleAfterNewOne = phone.post(stale.url(), phone.proposal(stale, RotatingDevice.newK()));
        byte[] k = RotatingDevice.newK();
        HttpResponse<String> inTime = phone.post(fresh.url(), phone.proposal(fresh, k));

        assertThat(tooLate.statusCode()).isEqualTo(403);
        assertThat(tooLate.body()).contains("nonce expired");
        assertThat(staleAfterNewOne.statusCode()).isEqualTo(403); // only the newest nonce counts
        assertThat(inTime.statusCode()).isEqualTo(200);
        assertThat(hlrCredential(user.imsi()).get("k")).isEqualTo(HexFormat.of().formatHex(k));
    }

    @Test // Bad input gets a clear 4xx and changes nothing: HTTP, media type, garbage, alg none, schema
    void malformedProposalsAreRefusedWithAClearStatus() throws Exception {
        Subscribers user = Subscribers.generated(20_987);
        RotatingDevice phone = deviceWithKeyOnRecord(user);
        String eventId = requestRotation(user);
        RotatingDevice.Challenge challenge = fetchChallenge(user);
        String good = phone.proposal(challenge, RotatingDevice.newK());
        String overHttp = "http://localhost:" + hub.httpPort() + "/rotation/v1/proposals";
        String[] parts = good.split("\\.");
        String unsigned = "eyJhbGciOiJub25lIn0." + parts[1] + ".";
        String otherPayload = parts[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString("{\"nonce\":1}".getBytes()) + "." + parts[2];

        assertThat(phone.post(overHttp, good).statusCode()).isEqualTo(403);
        assertThat(phone.post(challenge.url(), good, "application/json").statusCode()).isEqualTo(415);
        assertThat(phone.post(challenge.url(), "not a jws").statusCode()).isEqualTo(400);
        assertThat(phone.post(challenge.url(), unsigned).statusCode()).isEqualTo(400);
        HttpResponse<String> schema = phone.post(challenge.url(), otherPayload);
        assertThat(schema.statusCode()).isEqualTo(400);
        assertThat(schema.body()).contains("credential-proposal.v1");
        assertThat(phone.post(challenge.url(), "x".repeat(20_000)).statusCode()).isEqualTo(413);
        assertThat(hub.hubDatabase().queryForObject("SELECT state FROM rotation WHERE event_id = ?", String.class, eventId))
                .isEqualTo("notified");
        // None of that spent the nonce: the genuine proposal still applies.
        assertThat(phone.post(challenge.url(), good).statusCode()).isEqualTo(200);
    }

    @Test // issue 4: the sandbox's fixture devices have their keys on record, matching sandbox/rotation-keys.json
    void fixtureDevicesHaveKeysOnRecord() throws Exception {
        JsonNode sandboxKeys;
        try (InputStream in = getClass().getResourceAsStream("/sandbox/rotation-keys.json")) {
            sandboxKeys = JSON.readTree(in);
        }
        for (JsonNode fixture : sandboxKeys.get("devices")) {
            String thumbprint = ECKey.parse(fixture.get("jwk").toString()).toPublicJWK().computeThumbprint().toString();
            assertThat(hub.hubDatabase().queryForObject("SELECT thumbprint FROM device_key WHERE imsi = ? AND imei = ?",
                    String.class, fixture.get("imsi").asText(), fixture.get("imei").asText())).isEqualTo(thumbprint);
            assertThat(hub.hubDatabase().queryForObject("SELECT public_jwk FROM device_key WHERE imsi = ?", String.class,
                    fixture.get("imsi").asText())).doesNotContain("\"d\"");
        }
    }

    // --- the security team's side and the operator's side ---

    private static String requestRotation(Subscribers user) throws InterruptedException {
        return requestRotation(user, Map.of());
    }

    private static String requestRotation(Subscribers user, Map<String, String> headers) throws InterruptedException {
        String eventId = UUID.randomUUID().toString();
        kafka.send("hub.rotation.requests", user.imsi(), KafkaTopics.rotationRequested(eventId, user.imsi(), "compromised"),
                headers);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            List<String> states = hub.hubDatabase().queryForList("SELECT state FROM rotation WHERE event_id = ?", String.class, eventId);
            if (states.contains("notified")) {
                return eventId;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the rotation of " + user.imsi() + " was not started");
    }

    /** The device's configuration check after the trigger: the full document, with the rotation's characteristic. */
    private static RotatingDevice.Challenge fetchChallenge(Subscribers user) {
        String xml = hub.device().configure(user.msisdn(), user.imsi(), table1(0, user.imsi())).body();
        return RotatingDevice.challengeIn(xml).orElseThrow(() -> new AssertionError("no CREDENTIAL-ROTATION in " + xml));
    }

    private static RotatingDevice deviceWithKeyOnRecord(Subscribers user) {
        ECKey key = RotatingDevice.newKey();
        String imei = hlrImei(user.imsi());
        putDeviceKey(user.imsi(), imei, key);
        return new RotatingDevice(hub.device(), user.imsi(), imei, key);
    }

    private static void putDeviceKey(String imsi, String imei, ECKey key) {
        // The device-key registry is the security team's (role security), on the operator plane.
        HttpResponse<String> put = operatorAs("security").put("/operator/v1/subscribers/" + imsi + "/device-keys",
                "application/json", "{\"imei\":\"" + imei + "\",\"jwk\":" + key.toPublicJWK().toJSONString() + "}");
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
    }

    private static String hlrImei(String imsi) {
        return hub.hlrDatabase().queryForObject("SELECT imei FROM subscriber WHERE imsi = ?", String.class, imsi);
    }

    private static Map<String, Object> hlrCredential(String imsi) {
        return hub.hlrDatabase().queryForMap("SELECT a.k, a.opc, a.op, a.credential_updated_at > now() - interval '1 minute' "
                + "AS fresh FROM auc_3g a JOIN subscriber s ON s.id = a.subscriber_id WHERE s.imsi = ?", imsi);
    }

    /** The one result event of a rotation, read back from Kafka and checked against its JSON Schema. */
    private static void assertResult(String eventId, String imsi, String outcome, String reason) throws Exception {
        List<ConsumerRecord<String, String>> results = kafka.read("hub.rotation.results", 1, Duration.ofSeconds(30),
                r -> r.value().contains(eventId));
        assertThat(results).as("a result event for " + eventId).hasSize(1);
        JsonNode event = JSON.readTree(results.get(0).value());
        try (InputStream schema = getSchema()) {
            assertThat(com.networknt.schema.JsonSchemaFactory.getInstance(com.networknt.schema.SpecVersion.VersionFlag.V202012)
                    .getSchema(schema).validate(event)).isEmpty();
        }
        assertThat(results.get(0).key()).isEqualTo(imsi);
        assertThat(event.at("/data/outcome").asText()).isEqualTo(outcome);
        assertThat(event.at("/data/imsi").asText()).isEqualTo(imsi);
        if (reason != null) {
            assertThat(event.at("/data/reason").asText()).isEqualTo(reason);
        }
    }

    private static InputStream getSchema() {
        return CredentialRotationTest.class.getResourceAsStream("/json/rotation/rotation-result.v1.schema.json");
    }
}
