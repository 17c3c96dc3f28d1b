package io.provisioninghub.connectors.billing;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.spring.boot.CamelAutoConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.List;
import java.util.Locale;

/**
 * The billing connector (INT-2): the circuit breakers, the Camel lookup and ordering routes, the
 * {@link BillingClient} that the configuration flows call and the {@link BillingOrders} that sign-up calls. Configured by {@code hub.billing.*} ({@link BillingProperties}).
 */
@AutoConfiguration(after = CamelAutoConfiguration.class)
@EnableConfigurationProperties(BillingProperties.class)
public class BillingAutoConfiguration {

    /** Bean name of the Resilience4j breaker; the route refers to it by this name. */
    public static final String CIRCUIT_BREAKER = "billingCircuitBreaker";
    /** Bean name of the ordering routes' breaker (sign-up), apart from the lookups' one. */
    public static final String ORDERS_CIRCUIT_BREAKER = "billingOrdersCircuitBreaker";

    private static final Logger LOG = LoggerFactory.getLogger(BillingAutoConfiguration.class);

    /**
     * Our own breaker rather than one the EIP builds: its configuration takes a {@code Duration} (the EIP's
     * wait is in whole seconds), and the application (health, metrics, tests) can see its state.
     */
    @Bean(name = CIRCUIT_BREAKER)
    @ConditionalOnMissingBean(name = CIRCUIT_BREAKER)
    CircuitBreaker billingCircuitBreaker(BillingProperties properties) {
        return breaker("billing", "Billing circuit breaker {}", properties);
    }

    /**
     * The same settings as the lookups' breaker, but its own state: a burst of failed sign-ups must not stop
     * every device's configuration lookup, and a lookup storm must not block sign-ups.
     */
    @Bean(name = ORDERS_CIRCUIT_BREAKER)
    @ConditionalOnMissingBean(name = ORDERS_CIRCUIT_BREAKER)
    CircuitBreaker billingOrdersCircuitBreaker(BillingProperties properties) {
        return breaker("billing-orders", "Billing orders circuit breaker {}", properties);
    }

    private static CircuitBreaker breaker(String name, String transitionLog, BillingProperties properties) {
        BillingProperties.CircuitBreaker settings = properties.circuitBreaker();
        CircuitBreakerConfig config = CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(settings.slidingWindowSize())
                .minimumNumberOfCalls(settings.minimumCalls())
                .failureRateThreshold(settings.failureRateThreshold())
                .waitDurationInOpenState(settings.waitInOpenState())
                // Fail-fast answers while open are thousands per second: no stack trace for each.
                .writableStackTraceEnabled(false)
                .build();
        CircuitBreaker breaker = CircuitBreaker.of(name, config);
        breaker.getEventPublisher().onStateTransition(event -> LOG.warn(transitionLog, event.getStateTransition()));
        return breaker;
    }

    /**
     * {@code hub.circuit.breaker.state} (Prometheus {@code hub_circuit_breaker_state}, docs/observability.md): per
     * breaker ({@code name} = {@code billing}, {@code billing-orders}) one gauge per Resilience4j state
     * ({@code state} = {@code closed}, {@code open}, {@code half_open}, {@code disabled}, {@code forced_open},
     * {@code metrics_only}), 1 for the breaker's current state and 0 for the others. Only with Micrometer on the
     * classpath; Spring Boot's actuator binds it to the application's registry.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    static class BillingMetricsConfiguration {

        @Bean
        MeterBinder billingCircuitBreakerMetrics(@Qualifier(CIRCUIT_BREAKER) CircuitBreaker lookups,
                                                 @Qualifier(ORDERS_CIRCUIT_BREAKER) CircuitBreaker orders) {
            return new CircuitBreakerStateMetrics(List.of(lookups, orders));
        }
    }

    /** The gauges of {@link BillingMetricsConfiguration}; the breakers are beans, so the gauges' weak references hold. */
    static final class CircuitBreakerStateMetrics implements MeterBinder {

        static final String METRIC = "hub.circuit.breaker.state";

        private final List<CircuitBreaker> breakers;

        CircuitBreakerStateMetrics(List<CircuitBreaker> breakers) {
            this.breakers = List.copyOf(breakers);
        }

        @Override
        public void bindTo(MeterRegistry registry) {
            for (CircuitBreaker breaker : breakers) {
                for (CircuitBreaker.State state : CircuitBreaker.State.values()) {
                    Gauge.builder(METRIC, breaker, b -> b.getState() == state ? 1 : 0)
                            .description("1 for the circuit breaker's current state, 0 for the others")
                            .tag("name", breaker.getName())
                            .tag("state", state.name().toLowerCase(Locale.ROOT))
                            .register(registry);
                }
            }
        }
    }

    @Bean
    BillingRoutes billingRoutes(BillingProperties properties) {
        return new BillingRoutes(properties, CIRCUIT_BREAKER);
    }

    @Bean
    BillingOrderRoutes billingOrderRoutes(BillingProperties properties) {
        return new BillingOrderRoutes(properties, ORDERS_CIRCUIT_BREAKER);
    }

    @Bean
    @ConditionalOnMissingBean
    BillingOrders billingOrders(ProducerTemplate producerTemplate) {
        return new CamelBillingOrders(producerTemplate);
    }

    @Bean
    @ConditionalOnMissingBean
    BillingClient billingClient(ProducerTemplate producerTemplate) {
        return new CamelBillingClient(producerTemplate);
    }
}
