package io.provisioninghub.routes.rotation;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code hub.rotation.*}: where credential rotation requests come from (ROT-1).
 *
 * @param requestsTopic   Kafka topic of rotation-requested events (CloudEvents JSON, schemas/.../rotation)
 * @param deadLetterTopic unparseable or invalid events, each with the header {@code hubReason}
 * @param consumerGroup   Kafka consumer group of the hub's replicas (one partition is read by one replica)
 */
@ConfigurationProperties(prefix = "hub.rotation")
public record RotationProperties(
        @DefaultValue("hub.rotation.requests") String requestsTopic,
        @DefaultValue("hub.rotation.dead-letter") String deadLetterTopic,
        @DefaultValue("provisioning-hub-rotation") String consumerGroup) {
}
