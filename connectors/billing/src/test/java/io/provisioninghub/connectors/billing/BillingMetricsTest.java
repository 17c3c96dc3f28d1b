package io.provisioninghub.connectors.billing;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.provisioninghub.connectors.billing.simulator.BillingSimulator;
import io.provisioninghub.connectors.billing.simulator.BillingSimulatorSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code hub_circuit_breaker_state} (docs/observability.md): the billing breakers driven by the billing simulator's
 * faults, read back from the Prometheus exposition text as /actuator/prometheus would serve it.
 */
class BillingMetricsTest {

    private static final String ACTIVE = "+15550000001";
    private static final String[] STATES = {"closed", "open", "half_open", "disabled", "forced_open", "metrics_only"};

    static BillingSimulator simulator;
    static ConfigurableApplicationContext hub;
    static PrometheusMeterRegistry registry;

    @BeforeAll
    static void start() {
        simulator = BillingSimulator.start(BillingSimulatorSettings.of(0, TestPostgres.newDatabase("billing_metrics"),
                TestPostgres.server().username(), ""));
        hub = new SpringApplicationBuilder(BillingTestApplication.class)
                .web(WebApplicationType.NONE)
                .properties(
                        "spring.datasource.url=" + TestPostgres.newDatabase("hub_metrics"),
                        "spring.datasource.username=" + TestPostgres.server().username(),
                        "spring.flyway.enabled=false",
                        "hub.billing.base-url=" + simulator.baseUrl(),
                        "hub.billing.retry-delay=10ms",
                        "hub.billing.circuit-breaker.minimum-calls=4",
                        "hub.billing.circuit-breaker.wait-in-open-state=1s")
                .run();
        // What Spring Boot's actuator does with every MeterBinder bean.
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        hub.getBeansOfType(MeterBinder.class).values().forEach(binder -> binder.bindTo(registry));
    }

    @AfterAll
    static void stop() {
        if (hub != null) {
            hub.close();
        }
        if (simulator != null) {
            simulator.close();
        }
    }

    @Test
    void aGaugePerBreakerAndStateFollowsTheBreakers() throws Exception {
        assertThat(registry.find("hub.circuit.breaker.state").gauges()).hasSize(2 * STATES.length);
        assertThat(states("billing")).isEqualTo(only("closed"));
        assertThat(states("billing-orders")).isEqualTo(only("closed"));

        // Billing answers 503 to everything: four lookups open the lookups' breaker, not the orders' one.
        simulator.faults().setFailureStatus(503);
        BillingClient client = hub.getBean(BillingClient.class);
        for (int i = 0; i < 4; i++) {
            assertThatThrownBy(() -> client.productsOf(ACTIVE)).isInstanceOf(BillingUnavailableException.class);
        }
        assertThat(states("billing")).isEqualTo(only("open"));
        assertThat(states("billing-orders")).isEqualTo(only("closed"));
        assertThat(registry.scrape())
                .contains("hub_circuit_breaker_state{name=\"billing\",state=\"open\"} 1.0")
                .contains("hub_circuit_breaker_state{name=\"billing\",state=\"closed\"} 0.0")
                .contains("hub_circuit_breaker_state{name=\"billing-orders\",state=\"closed\"} 1.0");

        // The same for sign-up's calls, on the orders' breaker.
        BillingOrders orders = hub.getBean(BillingOrders.class);
        for (int i = 0; i < 4; i++) {
            assertThatThrownBy(orders::plans).isInstanceOf(BillingUnavailableException.class);
        }
        assertThat(states("billing-orders")).isEqualTo(only("open"));

        // Billing is back: after wait-in-open-state the first call finds the breaker half open, then it closes.
        simulator.faults().setFailureStatus(0);
        Thread.sleep(1_100);
        assertThat(client.productsOf(ACTIVE)).isPresent();
        assertThat(states("billing")).isEqualTo(only("half_open"));
        for (int i = 0; i < 9; i++) { // the default 10 trial calls
            assertThat(client.productsOf(ACTIVE)).isPresent();
        }
        assertThat(states("billing")).isEqualTo(only("closed"));
        assertThat(states("billing-orders")).isEqualTo(only("open"));

        // A breaker held open by hand (Resilience4j's API) shows as forced_open.
        hub.getBean(BillingAutoConfiguration.ORDERS_CIRCUIT_BREAKER, CircuitBreaker.class).transitionToForcedOpenState();
        assertThat(states("billing-orders")).isEqualTo(only("forced_open"));
        assertThat(registry.scrape())
                .contains("hub_circuit_breaker_state{name=\"billing-orders\",state=\"forced_open\"} 1.0");
    }

    private static Map<String, Double> states(String breaker) {
        return Arrays.stream(STATES).collect(Collectors.toMap(state -> state,
                state -> registry.get("hub.circuit.breaker.state").tag("name", breaker).tag("state", state)
                        .gauge().value()));
    }

    private static Map<String, Double> only(String current) {
        return Arrays.stream(STATES).collect(Collectors.toMap(state -> state, state -> state.equals(current) ? 1.0 : 0.0));
    }
}
