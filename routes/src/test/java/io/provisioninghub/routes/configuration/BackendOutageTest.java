package io.provisioninghub.routes.configuration;

import io.provisioninghub.connectors.billing.simulator.BillingSimulator;
import io.provisioninghub.routes.support.DeviceClient;
import io.provisioninghub.routes.support.HubInstance;
import io.provisioninghub.routes.support.ProvisioningDocument;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Map;

import static io.provisioninghub.routes.support.DeviceClient.table1;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * CFG-7, Table 8: while billing or the HLR cannot be reached the device gets 503 + Retry-After (delta-seconds),
 * never a 500, and is served again once they are back. Uses its own hub so the billing circuit breaker it trips
 * does not disturb other tests.
 */
class BackendOutageTest {

    static HubInstance hub;
    static DeviceClient device;

    @BeforeAll
    static void startHub() {
        hub = HubInstance.start(Map.of("hub.billing.circuit-breaker.wait-in-open-state", "2s"));
        device = hub.device();
    }

    @AfterAll
    static void stopHub() {
        hub.close();
    }

    @AfterEach
    void restoreBackends() {
        billing().faults().setFailureStatus(0);
        hub.sandbox().postgres().orElseThrow();
        new org.springframework.jdbc.core.JdbcTemplate(adminDataSource())
                .execute("ALTER DATABASE hlr ALLOW_CONNECTIONS true");
    }

    private static BillingSimulator billing() {
        return hub.sandbox().billing().orElseThrow();
    }

    @Test // CFG-7: billing answers 5xx → 503 + Retry-After; back → 200
    void billingDownAnswers503WithRetryAfter() throws InterruptedException {
        billing().faults().setFailureStatus(500);

        HttpResponse<String> down = device.configure("+15551000040", "001011000000040", table1(0, null));
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(down.headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(v).matches("[0-9]+"));
        assertThat(down.body()).doesNotContain("Exception");

        billing().faults().setFailureStatus(0);
        Thread.sleep(2500); // the breaker's wait-in-open-state in this hub
        HttpResponse<String> back = device.configure("+15551000040", "001011000000040", table1(0, null));
        assertThat(back.statusCode()).isEqualTo(200);
        assertThat(ProvisioningDocument.parse(back.body()).topLevelTypes()).contains("APPLICATION");
    }

    @Test // CFG-7: the HLR database refuses connections → 503 + Retry-After; back → 200
    void hlrDownAnswers503WithRetryAfter() {
        org.springframework.jdbc.core.JdbcTemplate admin = new org.springframework.jdbc.core.JdbcTemplate(adminDataSource());
        admin.execute("ALTER DATABASE hlr ALLOW_CONNECTIONS false");
        admin.queryForList("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'hlr'");

        HttpResponse<String> down = device.configure("+15551000041", "001011000000041", table1(0, null));
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(down.headers().firstValue("Retry-After")).contains("60");

        admin.execute("ALTER DATABASE hlr ALLOW_CONNECTIONS true");
        HttpResponse<String> back = device.configure("+15551000041", "001011000000041", table1(0, null));
        assertThat(back.statusCode()).isEqualTo(200);
    }

    private static javax.sql.DataSource adminDataSource() {
        var postgres = hub.sandbox().postgres().orElseThrow();
        return new org.springframework.jdbc.datasource.DriverManagerDataSource(
                postgres.jdbcUrl("postgres"), postgres.username(), "");
    }
}
