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
 * The billing connector (INT-2): the circuit breaker, the Camel lookup routes, and the {@link BillingClient}
 * that the flows call. Configured by {@code hub.billing.*} ({@link BillingProperties}).
 */
@AutoConfiguration(after = CamelAutoConfiguration.class)
@EnableConfigurationProperties(BillingProperties.class)
public class BillingAutoConfiguration {

    /** Bean name of the Resilience4j breaker; the route refers to it by this name. */
    public static final String CIRCUIT_BREAKER = "billingCircuitBreaker";

    private static final Logger LOG = LoggerFactory.getLogger(BillingAutoConfiguration.class);

    /**
     * Our own breaker rather than one the EIP builds: its configuration takes a {@code Duration} (the EIP's
     * wait is in whole seconds), and the application (health, metrics, tests) can see its state.
     */
    @Bean(name = CIRCUIT_BREAKER)
    @ConditionalOnMissingBean(name = CIRCUIT_BREAKER)
    CircuitBreaker billingCircuitBreaker(BillingProperties properties) {
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
        CircuitBreaker breaker = CircuitBreaker.of("billing", config);
        breaker.getEventPublisher().onStateTransition(event ->
                LOG.warn("Billing circuit breaker {}", event.getStateTransition()));
        return breaker;
    }

    @Bean
    BillingRoutes billingRoutes(BillingProperties properties) {
        return new BillingRoutes(properties, CIRCUIT_BREAKER);
    }

    @Bean
    @ConditionalOnMissingBean
    BillingClient billingClient(ProducerTemplate producerTemplate) {
        return new CamelBillingClient(producerTemplate);
    }
}
