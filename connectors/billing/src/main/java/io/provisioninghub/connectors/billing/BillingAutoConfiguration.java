package io.provisioninghub.connectors.billing;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.spring.boot.CamelAutoConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

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
