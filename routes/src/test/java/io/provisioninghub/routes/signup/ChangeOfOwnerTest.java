package io.provisioninghub.routes.signup;

import com.fasterxml.jackson.databind.JsonNode;
import io.provisioninghub.connectors.billing.BillingProduct;
import io.provisioninghub.connectors.billing.Plan;
import io.provisioninghub.connectors.deviceidentity.Imei;
import io.provisioninghub.connectors.deviceidentity.sandbox.DeviceCredentials;
import io.provisioninghub.connectors.deviceidentity.sandbox.TestManufacturerCa;
import io.provisioninghub.routes.support.BulkBindingClient;
import io.provisioninghub.routes.support.KafkaTopics;
import io.provisioninghub.routes.support.SharedHubTest;
import io.provisioninghub.routes.support.Subscribers;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static io.provisioninghub.routes.signup.SignupSupport.JSON;
import static io.provisioninghub.routes.signup.SignupSupport.activeProducts;
import static io.provisioninghub.routes.signup.SignupSupport.hlrRow;
import static io.provisioninghub.routes.support.BulkBindingClient.inState;
import static io.provisioninghub.routes.support.BulkBindingClient.read;
import static io.provisioninghub.routes.support.BulkBindingClient.row;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Change of owner or operator (SIGNUP-4), black box over real HTTPS against the shared sandbox hub: a provisioned
 * device is reassigned to a new subscription (the old one is cancelled in billing and removed from the HLR, INT-1,
 * INT-2) and fetches its new profile through the same first-access flow (SIGNUP-1, SIGNUP-3); a device on an existing
 * subscription loses its credential (auc_3g) when reassigned; a device released to another operator gets 410, its
 * credential revoked, and can be bound and provisioned again. 404/409/400 for the wrong requests.
 * <p>
 * Devices: IMEIs with TAC 35700002, serial numbers 700000…; subscribers Subscribers.generated(99,051 … 99,100).
 */
class ChangeOfOwnerTest extends SharedHubTest {

    private static final String TAC = "35700002";
    private static final AtomicInteger SERIAL = new AtomicInteger(700_000);
    private static final Duration SAGA = Duration.ofSeconds(60);
    // A release is a few HLR and billing calls: seconds here; a generous bound that keeps a stuck release from costing CI minutes.
    private static final Duration RELEASE = Duration.ofSeconds(30);

    private static TestManufacturerCa ca;
    private static BulkBindingClient api;
    private static Plan plan;

    @BeforeAll
    static void setUp() {
        ca = TestManufacturerCa.loadOrCreate(Path.of(hub.property("hub.device-identity.sandbox-ca-directory")));
        api = new BulkBindingClient(hub);
        plan = SignupSupport.firstPlan(hub);
    }

    static String imei() {
        return Imei.withCheckDigit(TAC + SERIAL.getAndIncrement());
    }

    /** A device of the operator's list (imei + its certificate's public key), bound and not yet seen. */
    private record Bound(String imei, DeviceCredentials credentials, SignupDevice device, String bindingId) {
        String id() {
            return "IMEI:" + imei;
        }
    }

    /** A device at its first access, profile decrypted. */
    private record Provisioned(Bound bound, JsonNode profile) {
        String imsi() {
            return profile.get("imsi").asText();
        }

        String msisdn() {
            return profile.get("msisdn").asText();
        }
    }

    private static Bound bind(Object... target) {
        String imei = imei();
        DeviceCredentials credentials = ca.mintImei(imei);
        Object[] fields = new Object[target.length + 4];
        fields[0] = "imei";
        fields[1] = imei;
        fields[2] = "publicKey";
        fields[3] = Base64.getEncoder().encodeToString(credentials.certificate().getPublicKey().getEncoded());
        System.arraycopy(target, 0, fields, 4, target.length);
        JsonNode answer = read(api.bindJson(List.of(row(fields))));
        assertThat(answer.at("/results/0/result").asText()).as(answer.toString()).isEqualTo("created");
        return new Bound(imei, credentials, new SignupDevice(hub, credentials), answer.at("/results/0/bindingId").asText());
    }

    /** Bound to a new subscription of the plan, first access, profile downloaded and checked against the HLR, confirmed. */
    private static Provisioned provisioned(Bound bound) throws Exception {
        if (bound.device().cookie() == null) {
            assertThat(bound.device().signIn().statusCode()).isEqualTo(201);
        }
        HttpResponse<String> download = bound.device().awaitProfile(SAGA);
        assertThat(download.statusCode()).as(download.body()).isEqualTo(200);
        JsonNode profile = JSON.readTree(bound.device().device().decrypt(download.body()));
        Map<String, Object> hlr = hlrRow(hub, profile.get("imsi").asText());
        assertThat(hlr).as("the HLR holds the profile's subscriber").isNotEmpty();
        assertThat(((String) hlr.get("k")).toUpperCase()).isEqualTo(profile.at("/authentication/k").asText().toUpperCase());
        assertThat(bound.device().confirm().statusCode()).isEqualTo(200);
        return new Provisioned(bound, profile);
    }

    @Test // SIGNUP-4, INT-1, INT-2: an active device reassigned to a new subscription: the old one cancelled in billing
          // and removed from the HLR (numbers quarantined); the device fetches a different IMSI, confirms → event
    void reassigningAnActiveDeviceCancelsTheOldSubscription() throws Exception {
        Provisioned before = provisioned(bind("plan", plan.id(), "customer", "First Owner"));
        Bound bound = before.bound();
        assertThat(activeProducts(hub, before.msisdn())).isEqualTo(plan.services().size());

        HttpResponse<String> reassigned = api.reassign(bound.id(), "{\"plan\":\"" + plan.id()
                + "\",\"customer\":\"Second Owner\",\"email\":\"second@example.org\"}");

        assertThat(reassigned.statusCode()).as(reassigned.body()).isEqualTo(202);
        JsonNode answer = read(reassigned);
        assertThat(answer.at("/previous/bindingId").asText()).isEqualTo(bound.bindingId());
        assertThat(answer.at("/previous/state").asText()).isEqualTo("releasing");
        String newBinding = answer.at("/binding/bindingId").asText();
        assertThat(newBinding).hasSize(36).isNotEqualTo(bound.bindingId());
        assertThat(answer.at("/binding/state").asText()).isEqualTo("bound");
        assertThat(read(api.bindingOfDevice(bound.id())).get("bindingId").asText()).isEqualTo(newBinding);

        api.awaitBinding(bound.bindingId(), inState("released"), RELEASE);
        assertThat(hlrRow(hub, before.imsi())).as("old HLR subscriber removed").isEmpty();
        assertThat(activeProducts(hub, before.msisdn())).as("old billing subscription cancelled").isZero();
        assertThat(SignupSupport.poolStates(hub, before.imsi(), before.msisdn())).containsOnly("quarantined");

        // The same session asks again: the new subscription is made at this access.
        Provisioned after = provisioned(bound);
        assertThat(after.imsi()).isNotEqualTo(before.imsi());
        assertThat(after.msisdn()).isNotEqualTo(before.msisdn());
        assertThat(activeProducts(hub, after.msisdn())).isEqualTo(plan.services().size());
        assertThat(read(api.binding(newBinding)).at("/subscription/imsi").asText()).isEqualTo(after.imsi());
        try (KafkaTopics kafka = new KafkaTopics(hub)) {
            // Both activations are published: the first one too, although the device was reassigned moments after it
            // confirmed, before the publisher's next run (it was lost while the publisher looked for state 'active').
            List<ConsumerRecord<String, String>> events = kafka.read("hub.signup.events", 2, Duration.ofSeconds(15),
                    record -> record.value().contains(before.imsi()) || record.value().contains(after.imsi()),
                    found -> found.size() >= 2); // stop at two: waiting for a third would cost the whole timeout
            assertThat(events).hasSize(2);
            assertThat(events).extracting(record -> JSON.readTree(record.value()).get("type").asText())
                    .containsOnly("io.provisioninghub.signup.activated.v1");
            assertThat(events).extracting(record -> JSON.readTree(record.value()).at("/data/imsi").asText())
                    .containsExactlyInAnyOrder(before.imsi(), after.imsi());
        }
    }

    @Test // SIGNUP-4, INT-1: a device on an existing subscription reassigned to another existing one: the old subscriber
          // stays in the HLR (and in billing) but its credential is revoked (auc_3g row deleted); the new one gets fresh K
    void reassigningAnExistingSubscriptionDeviceRevokesItsCredential() throws Exception {
        Subscribers first = Subscribers.generated(99_051);
        Subscribers second = Subscribers.generated(99_052);
        List<BillingProduct> billingBefore = SignupSupport.products(hub, first.msisdn());
        Provisioned before = provisioned(bind("imsi", first.imsi()));
        assertThat(before.imsi()).isEqualTo(first.imsi());
        assertThat(auc3gRows(first.imsi())).isEqualTo(1);

        HttpResponse<String> reassigned = api.reassign(before.bound().id(), "{\"imsi\":\"" + second.imsi() + "\"}");

        assertThat(reassigned.statusCode()).as(reassigned.body()).isEqualTo(202);
        api.awaitBinding(before.bound().bindingId(), inState("released"), RELEASE);
        assertThat(hlrRow(hub, first.imsi())).as("the subscriber stays").isNotEmpty();
        assertThat(auc3gRows(first.imsi())).as("its credential is revoked").isZero();
        assertThat(SignupSupport.products(hub, first.msisdn())).as("billing untouched").isEqualTo(billingBefore);

        Provisioned after = provisioned(before.bound());
        assertThat(after.imsi()).isEqualTo(second.imsi());
        assertThat(after.msisdn()).isEqualTo(second.msisdn());
        assertThat(read(api.binding(read(reassigned).at("/binding/bindingId").asText())).get("existingSubscription")
                .asBoolean()).isTrue();
    }

    @Test // SIGNUP-4: released to another operator: 410 for the device, releasedTo recorded, the credential revoked;
          // bound again later (SIGNUP-3) → created → provisioned again with a new IMSI
    void releasedToAnotherOperatorAndBackAgain() throws Exception {
        Provisioned before = provisioned(bind("plan", plan.id(), "customer", "Leaving Customer"));
        Bound bound = before.bound();

        HttpResponse<String> released = api.release(bound.id(), "Other Telco");

        assertThat(released.statusCode()).as(released.body()).isEqualTo(202);
        assertThat(read(released).at("/binding/bindingId").asText()).isEqualTo(bound.bindingId());
        assertThat(read(released).at("/binding/state").asText()).isEqualTo("releasing");
        JsonNode view = api.awaitBinding(bound.bindingId(), inState("released"), RELEASE);
        assertThat(view.get("releasedTo").asText()).isEqualTo("Other Telco");
        assertThat(hub.hubDatabase().queryForObject("SELECT released_to FROM signup WHERE id::text = ?", String.class,
                bound.bindingId())).isEqualTo("Other Telco");
        HttpResponse<String> gone = bound.device().profile();
        assertThat(gone.statusCode()).isEqualTo(410);
        assertThat(read(gone).get("state").asText()).isEqualTo("released");
        assertThat(hlrRow(hub, before.imsi())).as("credential revoked with the subscriber").isEmpty();
        assertThat(activeProducts(hub, before.msisdn())).isZero();
        assertThat(api.reassign(bound.id(), "{\"plan\":\"" + plan.id() + "\",\"customer\":\"X\"}").statusCode())
                .as("no live binding any more").isEqualTo(404);

        // The device comes back to this operator: bound again, provisioned again through the same flow.
        JsonNode again = read(api.bindJson(List.of(row("imei", bound.imei(), "publicKey", Base64.getEncoder()
                .encodeToString(bound.credentials().certificate().getPublicKey().getEncoded()), "plan", plan.id(),
                "customer", "Returning Customer"))));
        assertThat(again.at("/results/0/result").asText()).as(again.toString()).isEqualTo("created");
        assertThat(again.at("/results/0/bindingId").asText()).isNotEqualTo(bound.bindingId());
        Provisioned back = provisioned(bound);
        assertThat(back.imsi()).isNotEqualTo(before.imsi());
    }

    @Test // SIGNUP-4: 404 without a live binding, 409 for the same target or a subscription taken, 400 for bad bodies
    void wrongRequestsAreRefused() {
        Subscribers mine = Subscribers.generated(99_053);
        Subscribers theirs = Subscribers.generated(99_054);
        Bound bound = bind("imsi", mine.imsi());
        bind("imsi", theirs.imsi());
        String unbound = "IMEI:" + imei();

        assertThat(api.reassign(unbound, "{\"imsi\":\"" + Subscribers.generated(99_055).imsi() + "\"}").statusCode())
                .isEqualTo(404);
        assertThat(api.release(unbound, "Other Telco").statusCode()).isEqualTo(404);
        assertStatus(api.reassign(bound.id(), "{\"imsi\":\"" + mine.imsi() + "\"}"), 409);
        assertStatus(api.reassign(bound.id(), "{\"imsi\":\"" + theirs.imsi() + "\"}"), 409);
        assertStatus(api.reassign(bound.id(), "not json"), 400);
        assertStatus(api.reassign(bound.id(), "{}"), 400);
        assertStatus(api.reassign(bound.id(), "{\"plan\":\"no-such-plan\",\"customer\":\"X\"}"), 400);
        assertStatus(api.reassign(bound.id(), "{\"imsi\":\"001019999999999\"}"), 400);
        assertStatus(api.reassign(bound.id(), "{\"imsi\":\"" + Subscribers.generated(99_056).imsi() + "\",\"plan\":\""
                + plan.id() + "\",\"customer\":\"X\"}"), 400);
        assertStatus(api.post("/operator/v1/devices/" + bound.id() + "/release", "application/json", "{}"), 400);
        assertThat(api.post("/operator/v1/devices/" + bound.id() + "/release", "application/json",
                "{\"operator\":\"Other Telco\"}", null).statusCode()).isEqualTo(401);

        JsonNode view = read(api.bindingOfDevice(bound.id()));
        assertThat(view.get("bindingId").asText()).as("nothing changed").isEqualTo(bound.bindingId());
        assertThat(view.get("state").asText()).isEqualTo("bound");
        assertThat(view.at("/subscription/imsi").asText()).isEqualTo(mine.imsi());
    }

    private static void assertStatus(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.body()).doesNotContain("Exception", "\tat ");
    }

    private static int auc3gRows(String imsi) {
        return hub.hlrDatabase().queryForObject("SELECT count(*) FROM auc_3g a JOIN subscriber s ON a.subscriber_id = s.id "
                + "WHERE s.imsi = ?", Integer.class, imsi);
    }
}
