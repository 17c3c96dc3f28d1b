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

    static void assertMatchesSchema(String location, JsonNode document) throws Exception {
        try (InputStream schema = SignupSupport.class.getResourceAsStream(location)) {
            assertThat(schema).as(location).isNotNull();
            assertThat(JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schema).validate(document))
                    .isEmpty();
        }
    }
}
