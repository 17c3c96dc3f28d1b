package io.provisioninghub.routes.rotation;

import io.provisioninghub.routes.common.ExpiredRows;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * {@code hub.rotation.*}: where credential rotation requests come from (ROT-1).
 *
 * @param requestsTopic   Kafka topic of rotation-requested events (CloudEvents JSON, schemas/.../rotation)
 * @param deadLetterTopic unparseable or invalid events, each with the header {@code hubReason}
 * @param consumerGroup   Kafka consumer group of the hub's replicas (one partition is read by one replica)
 * @param resultsTopic    Kafka topic of rotation-result events (rotated, failed, expired)
 * @param renotifyAfter   a device that has not answered is notified again after this, doubled each time
 * @param maxNotifications notifications (the first included) before the rotation expires
 * @param checkInterval   how often a replica looks for rotations to re-notify or expire, and results to publish
 * @param nonceValidity   how long the nonce of a configuration document may be answered with a proposal
 * @param proposalUrl     the HTTPS URL devices send proposals to, as the document announces it; unset: the Host the
 *                        device asked for the configuration, with path /rotation/v1/proposals
 * @param batchSize       records applied per database transaction by the intake (Kafka maxPollRecords): fewer round
 *                        trips per record the larger it is, and more work replayed when a batch fails
 * @param lookupConcurrency billing lookups (for the trigger texts) a batch runs side by side
 * @param retryDelay      after a batch failed (HLR, billing, database or broker down) the intake waits this long
 *                        before the batch is polled again
 * @param recordRetention a finished rotation whose result was published is kept this long after it ended, then
 *                        deleted. Its row is also what makes a redelivered request idempotent (event source + id), so
 *                        keep it well above the requests topic's retention (at least 7 days)
 */
@Validated
@ConfigurationProperties(prefix = "hub.rotation")
public record RotationProperties(
        @DefaultValue("hub.rotation.requests") String requestsTopic,
        @DefaultValue("hub.rotation.dead-letter") String deadLetterTopic,
        @DefaultValue("provisioning-hub-rotation") String consumerGroup,
        @DefaultValue("hub.rotation.results") String resultsTopic,
        @DefaultValue("1h") Duration renotifyAfter,
        @DefaultValue("3") int maxNotifications,
        @DefaultValue("10s") Duration checkInterval,
        @DefaultValue("15m") Duration nonceValidity,
        String proposalUrl,
        @DefaultValue("500") @Min(1) @Max(10_000) int batchSize,
        @DefaultValue("8") @Min(1) @Max(64) int lookupConcurrency,
        @DefaultValue("1s") Duration retryDelay,
        @DefaultValue("90d") Duration recordRetention) {

    public RotationProperties {
        // Kafka keeps a topic's records 7 days by default: a request replayed within that window must still find its
        // rotation, or it would be applied a second time.
        ExpiredRows.requireAtLeast(recordRetention, Duration.ofDays(7), "hub.rotation.record-retention");
    }
}
