package io.provisioninghub.routes.signup;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWEObject;
import io.provisioninghub.connectors.billing.BillingOrders;
import io.provisioninghub.connectors.billing.Plan;
import io.provisioninghub.connectors.billing.simulator.BillingFaults;
import io.provisioninghub.connectors.deviceidentity.sandbox.DeviceCredentials;
import io.provisioninghub.connectors.deviceidentity.sandbox.SandboxDevice;
import io.provisioninghub.connectors.deviceidentity.sandbox.TestManufacturerCa;
import io.provisioninghub.routes.support.KafkaTopics;
import io.provisioninghub.routes.support.SharedHubTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static io.provisioninghub.routes.signup.SignupSupport.JSON;
import static io.provisioninghub.routes.signup.SignupSupport.activeProducts;
import static io.provisioninghub.routes.signup.SignupSupport.awaitSignup;
import static io.provisioninghub.routes.signup.SignupSupport.goodForm;
import static io.provisioninghub.routes.signup.SignupSupport.hlrRow;
import static io.provisioninghub.routes.signup.SignupSupport.inState;
import static io.provisioninghub.routes.signup.SignupSupport.products;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * SIGNUP-2 end to end over real HTTPS against the shared sandbox hub, with the real billing simulator (TMF622 over
 * HTTP), the HLR stand-in's pools and Kafka: a band signs up through the page, downloads its profile, decrypts it with
 * its private key and finds what the HLR and billing hold; confirms, and the activation event is read back from Kafka.
 * A second device's key cannot open the profile. A double submit makes one subscription. Billing failing at the create,
 * or losing its answers, leaves nothing behind: no active order, no HLR subscriber.
 */
class SignupSagaTest extends SharedHubTest {

    private static TestManufacturerCa ca;
    private static BillingFaults faults;

    @BeforeAll
    static void manufacturer() {
        ca = TestManufacturerCa.loadOrCreate(Path.of(hub.property("hub.device-identity.sandbox-ca-directory")));
        faults = hub.sandbox().billing().orElseThrow().faults();
    }

    @AfterEach
    void noFaults() {
        faults.reset();
    }

    @Test // SIGNUP-2, INT-1, INT-2: page → saga → encrypted profile = HLR row + billing subscription → confirm → event
    void aBandSignsUpEndToEnd() throws Exception {
        Plan plan = SignupSupport.firstPlan(hub);
        SignupDevice band = new SignupDevice(hub, ca.mintImei(SignupAuthenticationTest.imei(101)));

        HttpResponse<String> submitted = band.submit(goodForm(band, plan));
        assertThat(submitted.statusCode()).isEqualTo(202);
        assertThat(submitted.body()).contains("being set up");

        HttpResponse<String> download = band.awaitProfile(Duration.ofSeconds(60));
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/jose");
        JWEObject jwe = JWEObject.parse(download.body());
        assertThat(jwe.getHeader().getAlgorithm().getName()).isEqualTo("ECDH-ES+A256KW");
        assertThat(jwe.getHeader().getEncryptionMethod().getName()).isEqualTo("A256GCM");
        JsonNode profile = JSON.readTree(band.device().decrypt(download.body()));
        SignupSupport.assertMatchesSchema("/json/signup/signup-profile.v1.schema.json", profile);

        String imsi = profile.get("imsi").asText();
        String msisdn = profile.get("msisdn").asText();
        String k = profile.at("/authentication/k").asText();
        Map<String, Object> hlr = hlrRow(hub, imsi);
        assertThat(hlr).as("the HLR holds the subscriber").isNotEmpty();
        assertThat("+" + ((String) hlr.get("msisdn")).replace("+", "")).isEqualTo(msisdn);
        assertThat(((String) hlr.get("k")).toUpperCase()).isEqualTo(k);
        assertThat(((String) hlr.get("opc")).toUpperCase()).isEqualTo(profile.at("/authentication/opc").asText());
        assertThat(profile.at("/homeNetwork/mcc").asText() + profile.at("/homeNetwork/mnc").asText()).isEqualTo(imsi.substring(0, 5));
        assertThat(SignupSupport.poolStates(hub, imsi, msisdn)).containsOnly("allocated");
        assertThat(profile.at("/plan/id").asText()).isEqualTo(plan.id());
        assertThat(activeProducts(hub, msisdn)).as("billing has the subscription").isEqualTo(plan.services().size());

        // Only the JWE is kept: neither K nor the customer's details are in the hub database.
        String row = hub.hubDatabase().queryForObject("SELECT row_to_json(s)::text FROM signup s WHERE imsi = ?", String.class, imsi);
        assertThat(row.toUpperCase()).doesNotContain(k).doesNotContain("ADA LOVELACE").doesNotContain("ADA@EXAMPLE.ORG");
        // The device key is on record for later credential rotations (ROT-2).
        assertThat(hub.hubDatabase().queryForObject("SELECT count(*) FROM device_key WHERE imsi = ?", Integer.class, imsi))
                .isEqualTo(1);

        // A second device, with its own key, cannot open the first one's profile.
        SandboxDevice other = new SandboxDevice(ca.mintImei(SignupAuthenticationTest.imei(102)));
        assertThatThrownBy(() -> other.decrypt(download.body())).isInstanceOf(Exception.class);

        assertThat(band.page().body()).contains("Your band is ready");
        HttpResponse<String> confirmed = band.confirm();
        assertThat(confirmed.statusCode()).isEqualTo(200);
        assertThat(band.confirm().statusCode()).as("confirming twice is fine").isEqualTo(200);
        assertThat(band.page().body()).contains("Your band is active");

        try (KafkaTopics kafka = new KafkaTopics(hub)) {
            List<ConsumerRecord<String, String>> events = kafka.read("hub.signup.events", 2, Duration.ofSeconds(15),
                    record -> record.value().contains(imsi));
            assertThat(events).hasSize(1);
            assertThat(events.get(0).key()).isEqualTo(imsi);
            JsonNode event = JSON.readTree(events.get(0).value());
            SignupSupport.assertMatchesSchema("/json/signup/signup-activated.v1.schema.json", event);
            assertThat(event.get("type").asText()).isEqualTo("io.provisioninghub.signup.activated.v1");
            assertThat(event.at("/data/msisdn").asText()).isEqualTo(msisdn);
            assertThat(event.at("/data/device/fingerprint").asText()).isEqualTo(band.device().credentials().fingerprint());
        }
    }

    @Test // SIGNUP-2: a double submit (two at once, again later, from a second session) → one sign-up, one subscription
    void aDoubleSubmitMakesOneSubscription() throws Exception {
        Plan plan = SignupSupport.firstPlan(hub);
        SignupDevice band = new SignupDevice(hub, ca.mintImei(SignupAuthenticationTest.imei(103)));
        Map<String, String> form = goodForm(band, plan);

        CompletableFuture<HttpResponse<String>> first = CompletableFuture.supplyAsync(() -> band.submit(form));
        CompletableFuture<HttpResponse<String>> second = CompletableFuture.supplyAsync(() -> band.submit(form));
        assertThat(first.get().statusCode()).isEqualTo(202);
        assertThat(second.get().statusCode()).isEqualTo(202);
        assertThat(band.awaitProfile(Duration.ofSeconds(60)).statusCode()).isEqualTo(200);
        assertThat(band.submit(form).statusCode()).isEqualTo(202);
        SignupDevice sameBandAgain = new SignupDevice(hub, band.device().credentials());
        assertThat(sameBandAgain.signIn().statusCode()).isEqualTo(201);
        // A new session of the same device finds its sign-up: the page shows where it stands, not a second form.
        assertThat(sameBandAgain.page().body()).contains("id=\"status\"").doesNotContain("id=\"signup-form\"");

        String fingerprint = band.device().credentials().fingerprint();
        assertThat(hub.hubDatabase().queryForObject("SELECT count(*) FROM signup WHERE device_fingerprint = ?",
                Integer.class, fingerprint)).isEqualTo(1);
        Map<String, Object> row = SignupSupport.signupOf(hub, band);
        assertThat(products(hub, (String) row.get("msisdn"))).hasSize(plan.services().size());
        assertThat(hub.context().getBean(BillingOrders.class).findOrderByExternalId(row.get("id").toString())).isPresent();
        assertThat(sameBandAgain.profile().body()).isEqualTo(band.profile().body());
    }

    @Test // SIGNUP-2 compensation: billing keeps failing at the create → HLR allocation released, no order active
    void billingFailingAtCreateLeavesNothingBehind() throws Exception {
        Plan plan = SignupSupport.firstPlan(hub);
        SignupDevice band = new SignupDevice(hub, ca.mintImei(SignupAuthenticationTest.imei(104)));
        Map<String, String> form = goodForm(band, plan);
        faults.failNextOrders(BillingFaults.OrderStep.CREATE, 10_000, 503);

        assertThat(band.submit(form).statusCode()).isEqualTo(202);
        Map<String, Object> row = awaitSignup(hub, band, inState("compensating"), Duration.ofSeconds(90));
        // Billing answers again: the compensation converges (the create, same key) and cancels.
        faults.reset();
        row = awaitSignup(hub, band, inState("failed"), Duration.ofSeconds(90));

        SignupSupport.assertNothingOrphaned(hub, row);
        HttpResponse<String> profile = band.profile();
        assertThat(profile.statusCode()).isEqualTo(409);
        assertThat(profile.body()).contains("failed");
        assertThat(band.page().body()).contains("id=\"signup-form\""); // the user can try again
    }

    @Test // SIGNUP-2 compensation, INT-2: every answer of the create lost → the order that landed is cancelled
    void billingLosingItsAnswersLeavesNothingBehind() throws Exception {
        Plan plan = SignupSupport.firstPlan(hub);
        SignupDevice band = new SignupDevice(hub, ca.mintImei(SignupAuthenticationTest.imei(105)));
        Map<String, String> form = goodForm(band, plan);
        faults.loseNextOrderResponses(BillingFaults.OrderStep.CREATE, 10_000);

        assertThat(band.submit(form).statusCode()).isEqualTo(202);
        Map<String, Object> row = awaitSignup(hub, band, inState("compensating"), Duration.ofSeconds(90));
        String msisdn = (String) row.get("msisdn");
        assertThat(activeProducts(hub, msisdn)).as("billing created the order, the hub never heard").isPositive();
        faults.reset();
        row = awaitSignup(hub, band, inState("failed"), Duration.ofSeconds(90));

        SignupSupport.assertNothingOrphaned(hub, row);
        assertThat(products(hub, msisdn)).as("one order, now terminated").hasSize(plan.services().size());
    }

    @Test // SIGNUP-2: a lost answer or two is not a failure: the retried create finds the same order
    void aLostBillingAnswerIsRetriedIntoOneSubscription() throws Exception {
        Plan plan = SignupSupport.firstPlan(hub);
        SignupDevice band = new SignupDevice(hub, ca.mintImei(SignupAuthenticationTest.imei(106)));
        Map<String, String> form = goodForm(band, plan);
        faults.loseNextOrderResponses(BillingFaults.OrderStep.CREATE, 4);

        assertThat(band.submit(form).statusCode()).isEqualTo(202);
        assertThat(band.awaitProfile(Duration.ofSeconds(90)).statusCode()).isEqualTo(200);
        Map<String, Object> row = SignupSupport.signupOf(hub, band);
        assertThat(products(hub, (String) row.get("msisdn"))).hasSize(plan.services().size());
        assertThat(activeProducts(hub, (String) row.get("msisdn"))).isEqualTo(plan.services().size());
    }

    @Test // SIGNUP-2, no accepted work lost: a sign-up whose hand-over to the saga was lost (a crash right after the
          // INSERT, or a replica that died holding the lease) is resumed from the table by the recovery route
    void anAcceptedSignupIsResumedFromTheTable() throws Exception {
        Plan plan = SignupSupport.firstPlan(hub);
        DeviceCredentials credentials = ca.mintImei(SignupAuthenticationTest.imei(107));
        SignupDevice band = new SignupDevice(hub, credentials);
        assertThat(band.signIn().statusCode()).isEqualTo(201);
        Map<String, Object> session = hub.hubDatabase().queryForMap("SELECT device_value, public_jwk FROM signup_session "
                + "WHERE device_fingerprint = ? LIMIT 1", credentials.fingerprint());
        // What POST /signup leaves behind when the replica dies before (or while) the saga runs: the row alone, with
        // a lease that has run out.
        hub.hubDatabase().update("INSERT INTO signup (id, device_kind, device_value, device_fingerprint, public_jwk, plan_id, "
                        + "customer_name, customer_email, state, lease_until) VALUES (?, 'IMEI', ?, ?, ?, ?, 'Ada Lovelace', "
                        + "'ada@example.org', 'requested', now() - interval '1 second')", java.util.UUID.randomUUID(),
                session.get("device_value"), credentials.fingerprint(), session.get("public_jwk"), plan.id());

        HttpResponse<String> download = band.awaitProfile(Duration.ofSeconds(60));

        assertThat(download.statusCode()).isEqualTo(200);
        JsonNode profile = JSON.readTree(band.device().decrypt(download.body()));
        assertThat(hlrRow(hub, profile.get("imsi").asText())).isNotEmpty();
        assertThat(activeProducts(hub, profile.get("msisdn").asText())).isEqualTo(plan.services().size());
    }

    @Test // SIGNUP-2: a device with an RSA key gets its profile as RSA-OAEP-256 / A256GCM, and only it can open it
    void anRsaDeviceGetsAnRsaOaepProfile() throws Exception {
        Plan plan = SignupSupport.firstPlan(hub);
        SignupDevice band = new SignupDevice(hub, ca.device("IMEI:" + SignupAuthenticationTest.imei(108)).rsa(2048).mint());

        assertThat(band.submit(goodForm(band, plan)).statusCode()).isEqualTo(202);
        HttpResponse<String> download = band.awaitProfile(Duration.ofSeconds(60));

        assertThat(download.statusCode()).isEqualTo(200);
        JWEObject jwe = JWEObject.parse(download.body());
        assertThat(jwe.getHeader().getAlgorithm().getName()).isEqualTo("RSA-OAEP-256");
        assertThat(jwe.getHeader().getEncryptionMethod().getName()).isEqualTo("A256GCM");
        JsonNode profile = JSON.readTree(band.device().decrypt(download.body()));
        assertThat(((String) hlrRow(hub, profile.get("imsi").asText()).get("k")).toUpperCase())
                .isEqualTo(profile.at("/authentication/k").asText());
        SandboxDevice other = new SandboxDevice(ca.device("IMEI:" + SignupAuthenticationTest.imei(109)).rsa(2048).mint());
        assertThatThrownBy(() -> other.decrypt(download.body())).isInstanceOf(Exception.class);
    }
}
