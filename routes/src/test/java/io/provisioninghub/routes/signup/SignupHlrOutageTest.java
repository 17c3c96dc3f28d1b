package io.provisioninghub.routes.signup;

import io.provisioninghub.connectors.billing.BillingOrders;
import io.provisioninghub.connectors.billing.Plan;
import io.provisioninghub.connectors.billing.simulator.BillingFaults;
import io.provisioninghub.connectors.deviceidentity.sandbox.TestManufacturerCa;
import io.provisioninghub.routes.support.HubInstance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static io.provisioninghub.routes.signup.SignupSupport.activeProducts;
import static io.provisioninghub.routes.signup.SignupSupport.awaitSignup;
import static io.provisioninghub.routes.signup.SignupSupport.goodForm;
import static io.provisioninghub.routes.signup.SignupSupport.inState;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGNUP-2 compensation when the HLR fails (INT-1), on a hub of its own (the HLR database is made unreachable, which
 * the shared hub's other tests must not see): the HLR down at the allocation → billing is never asked and the sign-up
 * fails once the HLR is back, holding no number; the HLR lost after billing created the order → the order is
 * cancelled, and the allocation released as soon as the HLR answers again.
 */
class SignupHlrOutageTest {

    private static HubInstance hub;
    private static TestManufacturerCa ca;
    private static JdbcTemplate superuser;
    private static BillingFaults faults;

    @BeforeAll
    static void start() {
        hub = HubInstance.start(Map.of("hub.signup.retry-delay", "200ms", "hub.signup.max-attempts", "2",
                "hub.signup.check-interval", "300ms"));
        ca = TestManufacturerCa.loadOrCreate(Path.of(hub.property("hub.device-identity.sandbox-ca-directory")));
        var postgres = hub.sandbox().postgres().orElseThrow();
        superuser = new JdbcTemplate(new DriverManagerDataSource(postgres.jdbcUrl("postgres"), postgres.username(), ""));
        faults = hub.sandbox().billing().orElseThrow().faults();
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    @AfterEach
    void hlrBack() {
        hlrReachable(true);
        faults.reset();
    }

    private static void hlrReachable(boolean reachable) {
        superuser.execute("ALTER DATABASE hlr ALLOW_CONNECTIONS " + reachable);
        if (!reachable) {
            superuser.queryForList("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'hlr'");
        }
    }

    @Test // SIGNUP-2: the HLR unreachable at the allocation → retried, then compensated; billing never asked
    void hlrDownAtTheAllocation() throws Exception {
        Plan plan = SignupSupport.firstPlan(hub);
        SignupDevice band = new SignupDevice(hub, ca.mintImei(SignupAuthenticationTest.imei(201)));
        Map<String, String> form = goodForm(band, plan);
        hlrReachable(false);

        assertThat(band.submit(form).statusCode()).isEqualTo(202);
        Map<String, Object> row = awaitSignup(hub, band, inState("compensating"), Duration.ofSeconds(60));
        assertThat(band.profile().statusCode()).as("still in progress while compensating").isEqualTo(202);
        assertThat(row.get("billing_attempted")).isEqualTo(false);
        hlrReachable(true);
        row = awaitSignup(hub, band, inState("failed"), Duration.ofSeconds(60));

        assertThat(row.get("imsi")).as("nothing was allocated").isNull();
        assertThat(hub.context().getBean(BillingOrders.class).findOrderByExternalId(row.get("id").toString())).isEmpty();
        SignupSupport.assertNothingOrphaned(hub, row);
        assertThat(band.profile().statusCode()).isEqualTo(409);
    }

    @Test // SIGNUP-2: the HLR lost after billing created the order → order cancelled, allocation released when it is back
    void hlrLostAfterTheBillingOrder() throws Exception {
        Plan plan = SignupSupport.firstPlan(hub);
        SignupDevice band = new SignupDevice(hub, ca.mintImei(SignupAuthenticationTest.imei(202)));
        Map<String, String> form = goodForm(band, plan);
        // A slow billing keeps the saga at hlr_allocated long enough to take the HLR away under it.
        faults.setLatency(Duration.ofMillis(2_500));

        assertThat(band.submit(form).statusCode()).isEqualTo(202);
        Map<String, Object> row = awaitSignup(hub, band, r -> r.get("imsi") != null, Duration.ofSeconds(30));
        hlrReachable(false);
        row = awaitSignup(hub, band, r -> "compensating".equals(r.get("state")) && r.get("billing_order_id") != null,
                Duration.ofSeconds(60));
        String msisdn = (String) row.get("msisdn");
        faults.setLatency(Duration.ZERO);
        // Billing is compensated at once; the HLR part waits for the HLR.
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (activeProducts(hub, msisdn) > 0 && System.nanoTime() < end) {
            Thread.sleep(500);
        }
        assertThat(activeProducts(hub, msisdn)).isZero();
        assertThat(SignupSupport.signupOf(hub, band).get("state")).isEqualTo("compensating");
        hlrReachable(true);
        row = awaitSignup(hub, band, inState("failed"), Duration.ofSeconds(60));

        SignupSupport.assertNothingOrphaned(hub, row);
    }
}
