package io.provisioninghub.routes.monitoring;

import io.provisioninghub.connectors.broker.ArtemisQueueMetrics;
import io.provisioninghub.connectors.broker.ArtemisQueueMetrics.QueueGroup;
import io.provisioninghub.connectors.broker.EmbeddedArtemisBroker;
import io.provisioninghub.connectors.events.KafkaConsumerLagMetrics;
import io.provisioninghub.routes.campaign.CampaignProperties;
import io.provisioninghub.routes.rotation.RotationProperties;
import io.provisioninghub.routes.sms.SmsProperties;
import jakarta.jms.ConnectionFactory;
import org.apache.camel.CamelContext;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which of the hub's queues and consumer groups the connectors' gauges watch (docs/observability.md), read in the
 * background every {@code hub.metrics.refresh-interval} (default 15 s); Spring Boot's actuator binds both to the
 * registry behind /actuator/prometheus.
 * <ul>
 *   <li>{@code hub_kafka_consumer_lag}: the rotation intake's group ({@code hub.rotation.consumer-group}) on its topic
 *       ({@code hub.rotation.requests-topic}), through an Admin client with camel-kafka's connection and security
 *       settings.</li>
 *   <li>{@code hub_artemis_queue_messages}: the SMS outbox ({@code hub.sms.outbox-queue}), its dead letters
 *       ({@code hub.sms.dead-letter-queue}), the broker's {@code DLQ}, and as {@code campaign-work} the sum over the
 *       campaigns' work queues ({@code hub.campaign.work-queue-prefix}), through the application's JMS
 *       ConnectionFactory and Artemis' management API.</li>
 * </ul>
 * The circuit breakers' and the SMPP session's meters come with their connectors' auto-configuration.
 */
@Configuration(proxyBeanMethods = false)
class ExternalSystemMetrics {

    /** The label of the campaigns' work queues, summed. */
    static final String CAMPAIGN_WORK = "campaign-work";

    @Bean(destroyMethod = "close")
    KafkaConsumerLagMetrics kafkaConsumerLagMetrics(CamelContext camel, RotationProperties rotation,
                                                    @Value("${hub.metrics.refresh-interval:15s}") Duration refreshInterval) {
        return new KafkaConsumerLagMetrics(() -> KafkaConsumerLagMetrics.adminSettingsOf(camel),
                Map.of(rotation.consumerGroup(), Set.of(rotation.requestsTopic())), refreshInterval);
    }

    @Bean(destroyMethod = "close")
    ArtemisQueueMetrics artemisQueueMetrics(ConnectionFactory connectionFactory, SmsProperties sms,
                                            CampaignProperties campaigns,
                                            @Value("${hub.metrics.refresh-interval:15s}") Duration refreshInterval) {
        return new ArtemisQueueMetrics(connectionFactory, List.of(
                QueueGroup.named(sms.outboxQueue()),
                QueueGroup.named(sms.deadLetterQueue()),
                QueueGroup.named(EmbeddedArtemisBroker.DEAD_LETTER_QUEUE),
                QueueGroup.prefixed(CAMPAIGN_WORK, campaigns.workQueuePrefix())), refreshInterval);
    }
}
