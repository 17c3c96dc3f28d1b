package io.provisioninghub.connectors.smsc;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.spring.boot.CamelAutoConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The SMSC connector (INT-3): {@link SmsEncoder}, the {@link SmscSessionSupervisor} that keeps the one SMPP
 * session bound, the Camel routes ({@link SmscRoutes}) and the {@link SmscClient} that the flows call.
 * Delivery receipts go to every {@link DeliveryReceiptListener} bean. Configured by {@code hub.smsc.*}
 * ({@link SmscProperties}).
 * <p>
 * Without {@code hub.smsc.host} there are no routes and no session; the {@link SmscClient} then fails every
 * submit with {@link SmscUnavailableException}, so the hub still starts (and says so once at start).
 */
@AutoConfiguration(after = CamelAutoConfiguration.class)
@EnableConfigurationProperties(SmscProperties.class)
public class SmscAutoConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(SmscAutoConfiguration.class);

    @Bean
    @ConditionalOnMissingBean
    SmsEncoder smsEncoder(SmscProperties properties) {
        return new SmsEncoder(properties.maxSegments());
    }

    @Bean
    @ConditionalOnMissingBean
    SmscSessionSupervisor smscSessionSupervisor(SmscProperties properties) {
        return new SmscSessionSupervisor(properties.address(), SmscRoutes.SUBMIT, properties.reconnectDelay(),
                properties.bindTimeout());
    }

    /**
     * The SMPP session's metrics (docs/observability.md), only with Micrometer on the classpath; Spring Boot's
     * actuator binds them to the application's registry:
     * {@code hub.smsc.session.bound} (Prometheus {@code hub_smsc_session_bound}), 1 while this replica holds a bound
     * session, else 0; {@code hub.smsc.binds} ({@code hub_smsc_binds_total}), bind attempts by {@code outcome}
     * ({@code bound}, {@code failed}), as the {@link SmscSessionSupervisor} counts them.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    static class SmscMetricsConfiguration {

        @Bean
        MeterBinder smscSessionMetrics(SmscSessionSupervisor supervisor) {
            return registry -> {
                // The supervisor is a bean: the meters' weak references to it hold.
                Gauge.builder("hub.smsc.session.bound", supervisor, s -> s.isBound() ? 1 : 0)
                        .description("1 while this replica holds a bound SMPP session, else 0")
                        .register(registry);
                FunctionCounter.builder("hub.smsc.binds", supervisor, SmscSessionSupervisor::bindsBound)
                        .description("Bind attempts of this replica's SMPP session")
                        .tag("outcome", "bound")
                        .register(registry);
                FunctionCounter.builder("hub.smsc.binds", supervisor, SmscSessionSupervisor::bindsFailed)
                        .description("Bind attempts of this replica's SMPP session")
                        .tag("outcome", "failed")
                        .register(registry);
            };
        }
    }

    @Bean
    @ConditionalOnProperty(prefix = "hub.smsc", name = "host")
    SmscRoutes smscRoutes(SmscProperties properties, SmscSessionSupervisor supervisor,
                          ObjectProvider<DeliveryReceiptListener> receiptListeners) {
        return new SmscRoutes(properties, supervisor, receiptListeners);
    }

    @Bean
    @ConditionalOnMissingBean
    SmscClient smscClient(SmscProperties properties, ProducerTemplate producerTemplate, SmsEncoder encoder,
                          SmscSessionSupervisor supervisor) {
        if (!properties.isConfigured()) {
            LOG.warn("No SMSC configured (hub.smsc.host): every SMS submit will fail as unavailable");
            return message -> {
                throw new SmscUnavailableException("no SMSC configured (hub.smsc.host); SMS "
                        + (message == null ? null : message.reference()) + " not sent", -1, null);
            };
        }
        return new CamelSmscClient(producerTemplate, encoder, supervisor, properties.transactionTimer());
    }
}
