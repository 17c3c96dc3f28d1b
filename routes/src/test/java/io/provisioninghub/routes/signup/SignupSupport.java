package io.provisioninghub.routes.signup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import io.provisioninghub.connectors.billing.BillingClient;
import io.provisioninghub.connectors.billing.BillingOrders;
import io.provisioninghub.connectors.billing.BillingProduct;
import io.provisioninghub.connectors.billing.Plan;
import io.provisioninghub.connectors.billing.ProductStatus;
import io.provisioninghub.routes.support.HubInstance;

import java.io.InputStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/** What the sign-up tests share: a filled-in form, waiting for a sign-up's state, billing and HLR read back. */
final class SignupSupport {

    static final ObjectMapper JSON = new ObjectMapper();

    private SignupSupport() {
    }

    static Plan firstPlan(HubInstance hub) {
        return hub.context().getBean(BillingOrders.class).plans().get(0);
    }

    /** Signs the device in, opens the page and fills in a good form. */
    static Map<String, String> goodForm(SignupDevice band, Plan plan) {
        assertThat(band.signIn().statusCode()).isEqualTo(201);
        String page = band.page().body();
        Map<String, String> form = new LinkedHashMap<>();
        form.put("csrf", SignupDevice.csrfOf(page));
        form.put("plan", plan.id());
        form.put("name", "Ada Lovelace");
        form.put("email", "ada@example.org");
        form.put("consent", "yes");
        return form;
    }

    /** The device's newest sign-up row (hub database). */
    static Map<String, Object> signupOf(HubInstance hub, SignupDevice band) {
        String fingerprint = band.device().credentials().fingerprint();
        List<Map<String, Object>> rows = hub.hubDatabase().queryForList("SELECT * FROM signup WHERE device_fingerprint = ? "
                + "ORDER BY created_at DESC LIMIT 1", fingerprint);
        return rows.isEmpty() ? Map.of() : rows.get(0);
    }

    static Map<String, Object> awaitSignup(HubInstance hub, SignupDevice band, Predicate<Map<String, Object>> done,
                                           Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        Map<String, Object> row = signupOf(hub, band);
        while (!done.test(row) && System.nanoTime() < end) {
            Thread.sleep(200);
            row = signupOf(hub, band);
        }
        assertThat(done.test(row)).as("sign-up state " + row.get("state")).isTrue();
        return row;
    }

    static Predicate<Map<String, Object>> inState(String state) {
        return row -> state.equals(row.get("state"));
    }

    /** Billing's products for the number (TMF637, over HTTP), empty when billing does not know it. */
    static List<BillingProduct> products(HubInstance hub, String msisdn) {
        return hub.context().getBean(BillingClient.class).productsOf(msisdn).orElse(List.of());
    }

    static long activeProducts(HubInstance hub, String msisdn) {
        return products(hub, msisdn).stream().filter(p -> p.status() != ProductStatus.TERMINATED
                && p.status() != ProductStatus.CANCELLED).count();
    }

    /** The HLR's subscriber and MILENAGE row for an IMSI (INT-1), or an empty map. */
    static Map<String, Object> hlrRow(HubInstance hub, String imsi) {
        List<Map<String, Object>> rows = hub.hlrDatabase().queryForList("SELECT s.imsi, s.msisdn, a.k, a.opc FROM subscriber s "
                + "LEFT JOIN auc_3g a ON a.subscriber_id = s.id WHERE s.imsi = ?", imsi);
        return rows.isEmpty() ? Map.of() : rows.get(0);
    }

    /** The pool state of the sign-up's numbers (INT-1 pools): 'allocated', or 'quarantined' once released. */
    static List<String> poolStates(HubInstance hub, String imsi, String msisdn) {
        return List.of(
                hub.hlrDatabase().queryForObject("SELECT state FROM imsi_pool WHERE imsi = ?", String.class, imsi),
                hub.hlrDatabase().queryForObject("SELECT state FROM msisdn_pool WHERE msisdn = ?", String.class,
                        msisdn.replace("+", "")));
    }

    /** Nothing of a compensated sign-up is left: no HLR subscriber, numbers back in the pools, no active billing order. */
    static void assertNothingOrphaned(HubInstance hub, Map<String, Object> row) {
        String imsi = (String) row.get("imsi");
        String msisdn = (String) row.get("msisdn");
        assertThat(row.get("state")).isEqualTo("failed");
        assertThat(row.get("failure_reason")).isNotNull();
        assertThat(row.get("customer_name")).isNull();
        assertThat(row.get("profile_jwe")).isNull();
        String key = row.get("id").toString();
        assertThat(hub.hlrDatabase().queryForObject("SELECT count(*) FROM imsi_pool WHERE allocation_key = ?", Integer.class,
                key)).as("no number held under the sign-up's key").isZero();
        if (imsi != null) {
            assertThat(hlrRow(hub, imsi)).as("no HLR subscriber left").isEmpty();
            assertThat(poolStates(hub, imsi, msisdn)).as("numbers back in the pools (quarantined)")
                    .containsOnly("quarantined");
            assertThat(activeProducts(hub, msisdn)).as("no active billing product left").isZero();
            assertThat(hub.hubDatabase().queryForObject("SELECT count(*) FROM device_key WHERE imsi = ?", Integer.class, imsi))
                    .isZero();
        }
    }

    static void assertMatchesSchema(String location, JsonNode document) throws Exception {
        try (InputStream schema = SignupSupport.class.getResourceAsStream(location)) {
            assertThat(schema).as(location).isNotNull();
            assertThat(JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schema).validate(document))
                    .isEmpty();
        }
    }
}
