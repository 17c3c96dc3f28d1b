package io.provisioninghub.routes.signup;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import io.provisioninghub.connectors.billing.BillingOrders;
import io.provisioninghub.connectors.billing.BillingProduct;
import io.provisioninghub.connectors.billing.Plan;
import io.provisioninghub.connectors.deviceidentity.Imei;
import io.provisioninghub.connectors.deviceidentity.ManufacturerTrust;
import io.provisioninghub.connectors.deviceidentity.sandbox.DeviceCredentials;
import io.provisioninghub.connectors.deviceidentity.sandbox.TestManufacturerCa;
import io.provisioninghub.routes.support.BulkBindingClient;
import io.provisioninghub.routes.support.FastEcKeys;
import io.provisioninghub.routes.support.KafkaTopics;
import io.provisioninghub.routes.support.SharedHubTest;
import io.provisioninghub.routes.support.Subscribers;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateEncodingException;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.provisioninghub.routes.signup.SignupSupport.JSON;
import static io.provisioninghub.routes.signup.SignupSupport.activeProducts;
import static io.provisioninghub.routes.signup.SignupSupport.hlrRow;
import static io.provisioninghub.routes.support.BulkBindingClient.read;
import static io.provisioninghub.routes.support.BulkBindingClient.row;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Headless sign-up, the operator's side (SIGNUP-3) and the device's first access (SIGNUP-1, issue 5), black box over
 * real HTTPS against the shared sandbox hub: the bulk API takes 10,000 rows, some of them bad, answers each row, keeps
 * exactly the good ones (and nothing twice when the batch comes again); CSV works the same; a device of a batch
 * connects for the first time and gets a subscription the HLR (INT-1) and billing (INT-2) hold; a device bound to an
 * existing subscription gets fresh credentials written to the HLR and billing is not touched.
 * <p>
 * Devices: IMEIs with TAC 35700001 and serial numbers 700000…, which no other test uses. Subscribers reserved for this
 * class: Subscribers.generated(99,001 … 99,050).
 */
class BulkBindingTest extends SharedHubTest {

    private static final String TAC = "35700001";
    private static final AtomicInteger SERIAL = new AtomicInteger(700_000);
    private static final int KIND_ROWS = 15;

    private static TestManufacturerCa ca;
    private static BulkBindingClient api;
    private static Plan plan;

    @BeforeAll
    static void setUp() {
        ca = TestManufacturerCa.loadOrCreate(Path.of(hub.property("hub.device-identity.sandbox-ca-directory")));
        api = new BulkBindingClient(hub);
        plan = SignupSupport.firstPlan(hub);
    }

    /** A fresh Luhn-valid IMEI of this class's range. */
    static String imei() {
        int serial = SERIAL.getAndIncrement();
        assertThat(serial).isLessThan(800_000);
        return Imei.withCheckDigit(TAC + serial);
    }

    /** What a row should come back as. */
    private record Expected(String result, String reason, String device) {
    }

    private static final class BatchRow {
        final Map<String, Object> fields;
        final Expected expected;

        BatchRow(Map<String, Object> fields, Expected expected) {
            this.fields = fields;
            this.expected = expected;
        }
    }

    @Test // SIGNUP-3, issue 5 acceptance: "The bulk API is tested with 10,000 rows, some of them bad"; idempotent re-send
    void tenThousandRowsSomeOfThemBad(@TempDir Path otherCaDir) {
        FastEcKeys keys = new FastEcKeys();
        // Before the batch: subscriptions already bound to a device (99,001…99,015), and devices already bound to a new
        // subscription. (Subscribers: 99,016…99,023 good targets, 99,024…99,038 targets of BOUND_ELSEWHERE rows.)
        List<Subscribers> taken = IntStream.rangeClosed(99_001, 99_015).mapToObj(Subscribers::generated)
                .collect(Collectors.toList());
        List<Map<String, Object>> before = new ArrayList<>();
        for (Subscribers subscriber : taken) {
            before.add(row("imei", imei(), "publicKey", keys.next().spkiBase64(), "imsi", subscriber.imsi()));
        }
        List<Map<String, Object>> boundBefore = new ArrayList<>();
        for (int i = 0; i < KIND_ROWS; i++) {
            boundBefore.add(row("imei", imei(), "publicKey", keys.next().jwk(), "plan", plan.id(), "customer", "Before " + i));
        }
        before.addAll(boundBefore);
        JsonNode first = read(api.bindJson(before));
        assertThat(first.at("/summary/created").asInt()).as(first.toString()).isEqualTo(before.size());

        List<BatchRow> rows = new ArrayList<>();
        List<String> goodImeis = new ArrayList<>();
        List<String> refusedImeis = new ArrayList<>();
        // Good: imei + public key (JWK and base64 SPKI alternately) → a new subscription of the plan.
        for (int i = 0; i < 9_377; i++) {
            String imei = imei();
            FastEcKeys.PublicKeyValue key = keys.next();
            rows.add(good(imei, row("imei", imei, "publicKey", i % 2 == 0 ? key.jwk() : key.spkiBase64(), "plan", plan.id(),
                    "customer", "Customer " + i, "email", i % 3 == 0 ? "c" + i + "@example.org" : null)));
            goodImeis.add(imei);
        }
        // Good: manufacturer certificates, as a PEM chain (device + intermediate) or one base64 DER issued by the root.
        for (int i = 0; i < 300; i++) {
            String imei = imei();
            DeviceCredentials device = i % 5 == 0 ? ca.device("IMEI:" + imei).issuedByRoot().mint() : ca.mintImei(imei);
            Object certificate = i % 5 == 0 ? der(device) : device.chainPem();
            rows.add(good(imei, row("certificate", certificate, "plan", plan.id(), "customer", "Cert " + i)));
            goodImeis.add(imei);
        }
        // Good: existing subscriptions (SIGNUP-3: bind to a subscriber the HLR already has).
        for (int n = 99_016; n <= 99_023; n++) {
            String imei = imei();
            rows.add(good(imei, row("imei", imei, "publicKey", keys.next().spkiBase64(), "imsi", Subscribers.generated(n).imsi())));
            goodImeis.add(imei);
        }
        int goodCount = rows.size();

        // Bad rows, KIND_ROWS of each kind.
        String rsa1024 = rsaSpki(1024);
        List<DeviceCredentials> toRevoke = new ArrayList<>();
        TestManufacturerCa otherCa = TestManufacturerCa.loadOrCreate(otherCaDir, "Other Devices");
        for (int i = 0; i < KIND_ROWS; i++) {
            String valid = imei();
            String badLuhn = valid.substring(0, 14) + (char) ('0' + (valid.charAt(14) - '0' + 1) % 10);
            rows.add(bad("MALFORMED", row("imei", badLuhn, "publicKey", keys.next().spkiBase64(), "plan", plan.id(),
                    "customer", "Bad Luhn")));
            rows.add(bad("MALFORMED", row("imei", imei().substring(0, 14), "publicKey", keys.next().spkiBase64(),
                    "plan", plan.id(), "customer", "Fourteen digits")));
            rows.add(refused("MALFORMED", refusedImeis, imei(), "plan", plan.id(), "customer", "No key"));
            rows.add(bad("MALFORMED", row("publicKey", keys.next().jwk(), "plan", plan.id(), "customer", "No IMEI")));
            String both = imei();
            rows.add(refused("MALFORMED", refusedImeis, both, "publicKey", keys.next().spkiBase64(),
                    "certificate", ca.mintImei(both).chainPem(), "plan", plan.id(), "customer", "Both device forms"));
            rows.add(bad("MALFORMED", row("plan", plan.id(), "customer", "Neither device form")));
            rows.add(refused("MALFORMED", refusedImeis, imei(), "publicKey", keys.next().spkiBase64(), "customer", "No target"));
            rows.add(refused("MALFORMED", refusedImeis, imei(), "publicKey", keys.next().spkiBase64(), "plan", plan.id()));
            rows.add(bad("MALFORMED", row("certificate", "not a certificate", "plan", plan.id(), "customer", "Garbage")));
            rows.add(refused("BAD_KEY", refusedImeis, imei(), "publicKey", rsa1024, "plan", plan.id(), "customer", "RSA 1024"));
            rows.add(refusedCertificate("EXPIRED", refusedImeis, imei(), spec -> spec.expired()));
            rows.add(refusedCertificate("NOT_YET_VALID", refusedImeis, imei(), spec -> spec.notYetValid()));
            rows.add(refusedCertificate("SELF_SIGNED", refusedImeis, imei(), spec -> spec.selfSigned()));
            String untrusted = imei();
            refusedImeis.add(untrusted);
            rows.add(bad("UNTRUSTED_CA", row("certificate", otherCa.mintImei(untrusted).chainPem(), "plan", plan.id(),
                    "customer", "Other manufacturer")));
            String revoked = imei();
            refusedImeis.add(revoked);
            DeviceCredentials revokedDevice = ca.mintImei(revoked);
            toRevoke.add(revokedDevice);
            rows.add(bad("REVOKED", row("certificate", revokedDevice.chainPem(), "plan", plan.id(), "customer", "Revoked")));
            rows.add(bad("NO_IDENTITY", row("certificate", ca.device(null).mint().chainPem(), "plan", plan.id(),
                    "customer", "No identity")));
            rows.add(bad("NO_IDENTITY", row("certificate", ca.device("IMEI:" + badLuhn).mint().chainPem(), "plan", plan.id(),
                    "customer", "Certificate with a bad Luhn")));
            rows.add(refused("UNKNOWN_PLAN", refusedImeis, imei(), "publicKey", keys.next().spkiBase64(), "plan",
                    "no-such-plan-" + i, "customer", "Unknown plan"));
            rows.add(refused("UNKNOWN_SUBSCRIPTION", refusedImeis, imei(), "publicKey", keys.next().spkiBase64(),
                    "imsi", "0010199999" + String.format("%05d", i)));
            rows.add(refused("SUBSCRIPTION_TAKEN", refusedImeis, imei(), "publicKey", keys.next().spkiBase64(),
                    "imsi", taken.get(i).imsi()));
            // A device bound (before) to a new subscription, now to an existing one: reassign is the way.
            Map<String, Object> elsewhere = new HashMap<>(boundBefore.get(i));
            elsewhere.remove("plan");
            elsewhere.remove("customer");
            elsewhere.put("imsi", Subscribers.generated(99_024 + i).imsi());
            rows.add(new BatchRow(elsewhere, new Expected("refused", "BOUND_ELSEWHERE", "IMEI:" + elsewhere.get("imei"))));
        }
        ca.revokeDeviceSerials(toRevoke.stream().map(d -> d.certificate().getSerialNumber()).collect(Collectors.toList()));
        // What the operator's CRL refresh does (docs/device-identity.md), without waiting for crl-refresh-interval.
        hub.context().getBean(ManufacturerTrust.class).reloadCrls();

        Collections.shuffle(rows, new Random(5));
        // The same device twice in one request: the first occurrence wins, the second is refused.
        Random random = new Random(7);
        List<BatchRow> goods = rows.stream().filter(r -> r.expected.result.equals("created") && r.fields.containsKey("plan"))
                .collect(Collectors.toList());
        for (int i = 0; i < KIND_ROWS; i++) {
            BatchRow original = goods.get(random.nextInt(goods.size()));
            int at = rows.indexOf(original) + 1 + random.nextInt(rows.size() - rows.indexOf(original));
            Map<String, Object> again = new HashMap<>(original.fields);
            again.put("customer", "Someone else");
            rows.add(at, new BatchRow(again, new Expected("refused", "DUPLICATE_IN_REQUEST", original.expected.device)));
        }
        int refusedCount = rows.size() - goodCount;
        assertThat(rows.size()).isBetween(9_900, 10_100);
        int signupsBefore = signups();

        List<Map<String, Object>> body = rows.stream().map(r -> r.fields).collect(Collectors.toList());
        for (int i = 0; i < body.size(); i++) {
            body.get(i).put("reference", "ref-" + (i + 1));
        }
        long started = System.nanoTime();
        HttpResponse<String> response = api.bindJson(body);
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("BulkBindingTest: %d rows bound in %.1f s%n", rows.size(), seconds);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode answer = read(response);
        assertThat(answer.at("/summary/rows").asInt()).isEqualTo(rows.size());
        assertThat(answer.at("/summary/created").asInt()).isEqualTo(goodCount);
        assertThat(answer.at("/summary/unchanged").asInt()).isZero();
        assertThat(answer.at("/summary/refused").asInt()).isEqualTo(refusedCount);
        Map<Integer, String> bindingIds = assertResults(rows, answer.get("results"), "created");

        // The hub database holds exactly the good rows, waiting for their devices (state bound, SIGNUP-3).
        List<Map<String, Object>> stored = hub.hubDatabase().queryForList("SELECT id::text AS id, state, origin, imsi, "
                + "existing_subscription FROM signup WHERE id::text = ANY(?)", (Object) bindingIds.values().toArray(String[]::new));
        assertThat(stored).hasSize(goodCount);
        assertThat(stored).allSatisfy(r -> {
            assertThat(r.get("state")).isEqualTo("bound");
            assertThat(r.get("origin")).isEqualTo("bulk");
        });
        assertThat(stored.stream().filter(r -> Boolean.TRUE.equals(r.get("existing_subscription"))).count()).isEqualTo(8);
        assertThat(devicesStored(goodImeis)).isEqualTo(goodCount);
        assertThat(devicesStored(refusedImeis)).as("no refused device was stored").isZero();
        assertThat(signups() - signupsBefore).isEqualTo(goodCount);
        // The devices bound before still have their one binding, to the subscription they had.
        List<String> boundBeforeImeis = boundBefore.stream().map(r -> (String) r.get("imei")).collect(Collectors.toList());
        assertThat(devicesStored(boundBeforeImeis)).isEqualTo(KIND_ROWS);
        assertThat(hub.hubDatabase().queryForObject("SELECT count(*) FROM signup WHERE right(device_value, 15) = ANY(?) "
                + "AND imsi IS NOT NULL", Integer.class, (Object) boundBeforeImeis.toArray(String[]::new))).isZero();

        // The same batch again (an operator's retry): nothing new, every good row "unchanged" with the same binding.
        HttpResponse<String> again = api.bindJson(body);
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        JsonNode second = read(again);
        assertThat(second.at("/summary/created").asInt()).isZero();
        assertThat(second.at("/summary/unchanged").asInt()).isEqualTo(goodCount);
        assertThat(second.at("/summary/refused").asInt()).isEqualTo(refusedCount);
        assertThat(assertResults(rows, second.get("results"), "unchanged")).isEqualTo(bindingIds);
        assertThat(signups() - signupsBefore).isEqualTo(goodCount);
    }

    @Test // SIGNUP-3: CSV, columns in any order, empty cells absent, a chain of space-separated DER, a result per row
    void aCsvBatchAnswersEveryRow() throws Exception {
        FastEcKeys keys = new FastEcKeys();
        String[] imeis = IntStream.range(0, 9).mapToObj(i -> imei()).toArray(String[]::new);
        DeviceCredentials rootIssued = ca.device("IMEI:" + imeis[5]).issuedByRoot().mint();
        DeviceCredentials expired = ca.device("IMEI:" + imeis[6]).issuedByRoot().expired().mint();
        DeviceCredentials throughIntermediate = ca.mintImei(imeis[8]);
        FastEcKeys.PublicKeyValue duplicateKey = keys.next();
        String badLuhn = imeis[7].substring(0, 14) + (char) ('0' + (imeis[7].charAt(14) - '0' + 1) % 10);
        Subscribers existing = Subscribers.generated(99_039);
        String csv = "plan,customer,imei,reference,publicKey,email,certificate,imsi\n"
                + plan.id() + ",Ada," + imeis[0] + ",a-1," + keys.next().spkiBase64() + ",ada@example.org,,\n"
                + plan.id() + ",Bob," + imeis[1] + ",a-2," + duplicateKey.spkiBase64() + ",,,\n"
                + ",," + imeis[2] + ",a-3," + keys.next().spkiBase64() + ",,," + existing.imsi() + "\n"
                + "no-such-plan,Cy," + imeis[3] + ",a-4," + keys.next().spkiBase64() + ",,,\n"
                + plan.id() + ",Di," + imeis[4] + ",a-5," + rsaSpki(1024) + ",,,\n"
                + plan.id() + ",Ed,,a-6,,," + der(rootIssued) + ",\n"
                + plan.id() + ",Flo,,a-7,,," + der(expired) + ",\n"
                + plan.id() + ",Gus," + badLuhn + ",a-8," + keys.next().spkiBase64() + ",,,\n"
                + plan.id() + ",Bob again," + imeis[1] + ",a-9," + duplicateKey.spkiBase64() + ",,,\n"
                + plan.id() + ",Hal,,a-10,,," + derChain(throughIntermediate) + ",\n";

        HttpResponse<String> response = api.bindCsv(csv);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
        JsonNode answer = read(response);
        assertThat(answer.at("/summary/rows").asInt()).isEqualTo(10);
        assertThat(answer.at("/summary/created").asInt()).isEqualTo(5);
        assertThat(answer.at("/summary/unchanged").asInt()).isZero();
        assertThat(answer.at("/summary/refused").asInt()).isEqualTo(5);
        JsonNode results = answer.get("results");
        assertThat(results).hasSize(10);
        String[][] expected = {
                {"a-1", "created", null, imeis[0]}, {"a-2", "created", null, imeis[1]}, {"a-3", "created", null, imeis[2]},
                {"a-4", "refused", "UNKNOWN_PLAN", imeis[3]}, {"a-5", "refused", "BAD_KEY", null},
                {"a-6", "created", null, imeis[5]}, {"a-7", "refused", "EXPIRED", null},
                {"a-8", "refused", "MALFORMED", null}, {"a-9", "refused", "DUPLICATE_IN_REQUEST", imeis[1]},
                {"a-10", "created", null, imeis[8]}};
        for (int i = 0; i < expected.length; i++) {
            JsonNode result = results.get(i);
            assertThat(result.get("row").asInt()).isEqualTo(i + 1);
            assertThat(result.get("reference").asText()).isEqualTo(expected[i][0]);
            assertThat(result.get("result").asText()).as(result.toString()).isEqualTo(expected[i][1]);
            if (expected[i][2] != null) {
                assertThat(result.get("reason").asText()).as(result.toString()).isEqualTo(expected[i][2]);
                assertThat(result.get("message").asText()).isNotBlank();
                assertThat(result.has("bindingId")).isFalse();
            } else {
                assertThat(result.get("bindingId").asText()).hasSize(36);
                assertThat(result.get("state").asText()).isEqualTo("bound");
                assertThat(result.has("reason")).isFalse();
            }
            if (expected[i][3] != null) {
                assertThat(result.get("device").asText()).isEqualTo("IMEI:" + expected[i][3]);
            }
        }
        JsonNode onExisting = read(api.binding(results.get(2).get("bindingId").asText()));
        assertThat(onExisting.get("existingSubscription").asBoolean()).isTrue();
        assertThat(onExisting.at("/subscription/imsi").asText()).isEqualTo(existing.imsi());
        assertThat(devicesStored(List.of(imeis[3], imeis[4], imeis[6]))).isZero();
    }

    @Test // SIGNUP-3 + SIGNUP-1, INT-1, INT-2: a device of a batch (imei + public key) at its first access: 202, then
          // its encrypted profile = the HLR's subscriber + billing's subscription; confirm → activation event.
          // The same IMEI with another key is not that device.
    void aHeadlessDeviceIsProvisionedAtItsFirstAccess() throws Exception {
        String imei = imei();
        DeviceCredentials credentials = ca.mintImei(imei);
        Map<String, Object> jwk = new ECKey.Builder(Curve.P_256, (ECPublicKey) credentials.certificate().getPublicKey())
                .build().toPublicJWK().toJSONObject();
        JsonNode bound = read(api.bindJson(List.of(row("reference", "headless-1", "imei", imei, "publicKey", jwk,
                "plan", plan.id(), "customer", "Grace Hopper", "email", "grace@example.org"))));
        JsonNode created = bound.at("/results/0");
        assertThat(created.get("result").asText()).as(bound.toString()).isEqualTo("created");
        String bindingId = created.get("bindingId").asText();
        // The operator's list sent again: the same binding; the same IMEI with another key is not the same device.
        JsonNode resent = read(api.bindJson(List.of(row("imei", imei, "publicKey", jwk, "plan", plan.id(), "customer",
                "Grace Hopper"))));
        assertThat(resent.at("/results/0/result").asText()).as(resent.toString()).isEqualTo("unchanged");
        assertThat(resent.at("/results/0/bindingId").asText()).isEqualTo(bindingId);
        JsonNode otherKey = read(api.bindJson(List.of(row("imei", imei, "publicKey", new FastEcKeys().next().jwk(), "plan",
                plan.id(), "customer", "Grace Hopper"))));
        assertThat(otherKey.at("/results/0/result").asText()).as(otherKey.toString()).isEqualTo("refused");
        assertThat(otherKey.at("/results/0/reason").asText()).isEqualTo("BOUND_ELSEWHERE");

        JsonNode view = read(api.binding(bindingId));
        assertThat(view.get("bindingId").asText()).isEqualTo(bindingId);
        assertThat(view.get("device").asText()).isEqualTo("IMEI:" + imei);
        assertThat(view.get("state").asText()).isEqualTo("bound");
        assertThat(view.get("origin").asText()).isEqualTo("bulk");
        assertThat(view.get("existingSubscription").asBoolean()).isFalse();
        assertThat(read(api.bindingOfDevice("IMEI:" + imei)).get("bindingId").asText()).isEqualTo(bindingId);
        assertThat(read(api.get("/operator/v1/devices/IMEI:" + imei + "/binding")).get("bindingId").asText())
                .as("':' unencoded").isEqualTo(bindingId);

        SignupDevice device = new SignupDevice(hub, credentials);
        assertThat(device.signIn().statusCode()).isEqualTo(201);
        HttpResponse<String> firstLook = device.profile();
        assertThat(firstLook.statusCode()).as("the first GET starts the subscription").isEqualTo(202);
        HttpResponse<String> download = device.awaitProfile(Duration.ofSeconds(60));
        assertThat(download.statusCode()).as(download.body()).isEqualTo(200);
        assertThat(download.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/jose");
        JsonNode profile = JSON.readTree(device.device().decrypt(download.body()));
        SignupSupport.assertMatchesSchema("/json/signup/signup-profile.v1.schema.json", profile);
        String imsi = profile.get("imsi").asText();
        String msisdn = profile.get("msisdn").asText();
        Map<String, Object> hlr = hlrRow(hub, imsi);
        assertThat(hlr).as("the HLR holds the subscriber").isNotEmpty();
        assertThat(((String) hlr.get("k")).toUpperCase()).isEqualTo(profile.at("/authentication/k").asText().toUpperCase());
        assertThat(((String) hlr.get("opc")).toUpperCase()).isEqualTo(profile.at("/authentication/opc").asText().toUpperCase());
        assertThat(profile.at("/plan/id").asText()).isEqualTo(plan.id());
        assertThat(activeProducts(hub, msisdn)).as("billing has the subscription").isEqualTo(plan.services().size());
        JsonNode provisioned = read(api.binding(bindingId));
        assertThat(provisioned.at("/subscription/imsi").asText()).isEqualTo(imsi);
        assertThat(provisioned.at("/subscription/msisdn").asText()).isEqualTo(msisdn);

        // Another device claiming the same IMEI with its own key: not the device the operator bound.
        SignupDevice impostor = new SignupDevice(hub, ca.mintImei(imei));
        assertThat(impostor.signIn().statusCode()).isEqualTo(201);
        assertThat(impostor.profile().statusCode()).isEqualTo(404);

        assertThat(device.confirm().statusCode()).isEqualTo(200);
        try (KafkaTopics kafka = new KafkaTopics(hub)) {
            List<ConsumerRecord<String, String>> events = kafka.read("hub.signup.events", 2, Duration.ofSeconds(15),
                    record -> record.value().contains(imsi),
                    found -> !found.isEmpty()); // stop at the first: waiting for a second would cost the whole timeout
            assertThat(events).hasSize(1);
            JsonNode event = JSON.readTree(events.get(0).value());
            assertThat(event.get("type").asText()).isEqualTo("io.provisioninghub.signup.activated.v1");
            assertThat(event.at("/data/msisdn").asText()).isEqualTo(msisdn);
        }
    }

    @Test // SIGNUP-3, INT-1: a device (certificate row) bound to an EXISTING subscription: at first access the hub writes
          // fresh K/OPc to that subscriber's auc_3g row and the profile carries them; billing is not touched (INT-2)
    void aDeviceBoundToAnExistingSubscriptionGetsFreshCredentials() throws Exception {
        Subscribers subscriber = Subscribers.generated(99_040);
        Map<String, Object> hlrBefore = hlrRow(hub, subscriber.imsi());
        assertThat(hlrBefore).isNotEmpty();
        List<BillingProduct> billingBefore = SignupSupport.products(hub, subscriber.msisdn());
        String imei = imei();
        DeviceCredentials credentials = ca.mintImei(imei);
        JsonNode bound = read(api.bindJson(List.of(row("certificate", credentials.chainPem(), "imsi", subscriber.imsi()))));
        JsonNode created = bound.at("/results/0");
        assertThat(created.get("result").asText()).as(bound.toString()).isEqualTo("created");
        assertThat(created.get("device").asText()).isEqualTo("IMEI:" + imei);
        String bindingId = created.get("bindingId").asText();
        JsonNode view = read(api.bindingOfDevice("IMEI:" + imei));
        assertThat(view.get("existingSubscription").asBoolean()).isTrue();
        assertThat(view.at("/subscription/imsi").asText()).isEqualTo(subscriber.imsi());

        SignupDevice device = new SignupDevice(hub, credentials);
        assertThat(device.signIn().statusCode()).isEqualTo(201);
        HttpResponse<String> download = device.awaitProfile(Duration.ofSeconds(60));
        assertThat(download.statusCode()).as(download.body()).isEqualTo(200);
        JsonNode profile = JSON.readTree(device.device().decrypt(download.body()));
        assertThat(profile.get("imsi").asText()).isEqualTo(subscriber.imsi());
        assertThat(profile.get("msisdn").asText()).isEqualTo(subscriber.msisdn());
        String k = profile.at("/authentication/k").asText().toUpperCase();
        Map<String, Object> hlrAfter = hlrRow(hub, subscriber.imsi());
        assertThat(((String) hlrAfter.get("k")).toUpperCase()).as("the profile's K is the HLR's").isEqualTo(k);
        assertThat(((String) hlrAfter.get("opc")).toUpperCase()).isEqualTo(profile.at("/authentication/opc").asText().toUpperCase());
        if (hlrBefore.get("k") != null) {
            assertThat(((String) hlrBefore.get("k")).toUpperCase()).as("a fresh K").isNotEqualTo(k);
        }
        assertThat(SignupSupport.products(hub, subscriber.msisdn())).as("billing untouched").isEqualTo(billingBefore);
        assertThat(hub.context().getBean(BillingOrders.class).findOrderByExternalId(bindingId)).isEmpty();
        assertThat(device.confirm().statusCode()).isEqualTo(200);
    }

    @Test // SIGNUP-3: whole-request errors are clear 4xx, and nothing is stored
    void wholeRequestErrors() {
        int before = signups();
        String good = "{\"bindings\":[{\"imei\":\"" + imei() + "\",\"publicKey\":\"" + new FastEcKeys().next().spkiBase64()
                + "\",\"plan\":\"" + plan.id() + "\",\"customer\":\"Never stored\"}]}";
        String path = "/operator/v1/device-bindings";
        assertError(api.post(path, "application/json", "{\"bindings\":[{\"imei\":"), 400);
        assertError(api.post(path, "application/json", "{\"bindings\":[]}"), 400);
        assertError(api.post(path, "application/json", "{}"), 400);
        assertError(api.bindCsv("imei,publicKey,plan,customer,colour\n" + imei() + ",AAAA," + plan.id() + ",Ann,blue\n"), 400);
        assertError(api.bindCsv("imei,publicKey,plan,customer\n"), 400);
        String maxRows = hub.property("hub.signup.bulk.max-rows");
        int tooMany = (maxRows == null ? 20_000 : Integer.parseInt(maxRows)) + 1;
        assertError(api.post(path, "application/json", "{\"bindings\":[" + String.join(",", Collections.nCopies(tooMany,
                "{\"imei\":\"1\"}")) + "]}"), 400);
        assertError(api.post(path, "text/plain", good), 415);
        assertError(api.post(path, "application/xml", "<bindings/>"), 415);
        assertThat(api.post(path, "application/json", good, null).statusCode()).isEqualTo(401);
        assertThat(api.post(path, "application/json", good, "guess").statusCode()).isEqualTo(401);
        assertThat(api.get("/operator/v1/device-bindings/" + java.util.UUID.randomUUID()).statusCode()).isEqualTo(404);
        assertThat(api.bindingOfDevice("IMEI:" + imei()).statusCode()).isEqualTo(404);
        assertThat(signups()).isEqualTo(before);
    }

    private static void assertError(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.body()).doesNotContain("Exception", "\tat ");
    }

    /** Checks every result against its row; returns the binding ids by row number. */
    private static Map<Integer, String> assertResults(List<BatchRow> rows, JsonNode results, String goodResult) {
        assertThat(results).hasSize(rows.size());
        List<String> wrong = new ArrayList<>();
        Map<Integer, String> ids = new HashMap<>();
        for (int i = 0; i < rows.size(); i++) {
            JsonNode result = results.get(i);
            Expected expected = rows.get(i).expected;
            String want = expected.result.equals("created") ? goodResult : expected.result;
            boolean ok = result.path("row").asInt() == i + 1
                    && ("ref-" + (i + 1)).equals(result.path("reference").asText())
                    && want.equals(result.path("result").asText())
                    && (expected.device == null || expected.device.equals(result.path("device").asText()));
            if (want.equals("refused")) {
                ok &= expected.reason.equals(result.path("reason").asText()) && !result.path("message").asText().isBlank()
                        && !result.has("bindingId");
            } else {
                ok &= result.path("bindingId").asText().length() == 36 && "bound".equals(result.path("state").asText())
                        && !result.has("reason");
                ids.put(i + 1, result.path("bindingId").asText());
            }
            if (!ok) {
                wrong.add("row " + (i + 1) + " expected " + want + "/" + expected.reason + " " + expected.device
                        + " (fields " + rows.get(i).fields.keySet() + "), got " + result);
            }
        }
        assertThat(wrong).as(wrong.size() + " rows answered wrongly; the first ones: "
                + wrong.subList(0, Math.min(10, wrong.size()))).isEmpty();
        return ids;
    }

    private static BatchRow good(String imei, Map<String, Object> fields) {
        return new BatchRow(fields, new Expected("created", null, "IMEI:" + imei));
    }

    private static BatchRow bad(String reason, Map<String, Object> fields) {
        return new BatchRow(fields, new Expected("refused", reason, null));
    }

    private static BatchRow refused(String reason, List<String> refusedImeis, String imei, Object... more) {
        refusedImeis.add(imei);
        Object[] all = new Object[more.length + 2];
        all[0] = "imei";
        all[1] = imei;
        System.arraycopy(more, 0, all, 2, more.length);
        return new BatchRow(row(all), new Expected("refused", reason, null));
    }

    private static BatchRow refusedCertificate(String reason, List<String> refusedImeis, String imei,
                                               java.util.function.UnaryOperator<io.provisioninghub.connectors.deviceidentity.sandbox.DeviceCertificateSpec> spec) {
        refusedImeis.add(imei);
        return bad(reason, row("certificate", spec.apply(ca.device("IMEI:" + imei)).mint().chainPem(), "plan", plan.id(),
                "customer", reason));
    }

    static String der(DeviceCredentials device) {
        try {
            return Base64.getEncoder().encodeToString(device.certificate().getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The CSV form of a chain: base64 DER certificates separated by spaces, the device certificate first. */
    static String derChain(DeviceCredentials device) {
        return device.chain().stream().map(certificate -> {
            try {
                return Base64.getEncoder().encodeToString(certificate.getEncoded());
            } catch (CertificateEncodingException e) {
                throw new IllegalStateException(e);
            }
        }).collect(java.util.stream.Collectors.joining(" "));
    }

    static String rsaSpki(int bits) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(bits);
            return Base64.getEncoder().encodeToString(generator.generateKeyPair().getPublic().getEncoded());
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** How many sign-up rows the hub holds for these IMEIs (device_value with or without a kind prefix). */
    static int devicesStored(List<String> imeis) {
        return hub.hubDatabase().queryForObject("SELECT count(*) FROM signup WHERE right(device_value, 15) = ANY(?)",
                Integer.class, (Object) imeis.toArray(String[]::new));
    }

    private static int signups() {
        return hub.hubDatabase().queryForObject("SELECT count(*) FROM signup", Integer.class);
    }
}
