package io.provisioninghub.routes.sms;

import io.provisioninghub.routes.common.ExpiredRows;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * {@code hub.sms.*}: the SMS outbox (INT-3, INT-4). Every SMS goes into a durable Artemis queue first; one replica at
 * a time (the holder of a PostgreSQL advisory lock) drains it at {@code rate-per-second}, so the cap holds for the
 * whole deployment.
 *
 * @param outboxQueue        the Artemis queue holding SMS not yet accepted by the SMSC
 * @param deadLetterQueue    SMS given up on (permanent refusal, retries exhausted), each with its reason
 * @param ratePerSecond      deployment-wide cap of submit_sm per second (the SMSC contract's TPS)
 * @param consumers          concurrent senders in the active replica (SMPP window); they share the cap
 * @param maxAttempts        submits tried per SMS before it is dead-lettered
 * @param retryInitialDelay  back-off after the first transient failure (throttled, SMSC down); doubles each time
 * @param retryMaxDelay      ceiling of that back-off
 * @param claimTimeout       an SMS claimed by a sender that died before recording the outcome is tried again
 *                           after this long (the only window in which an SMS may be sent twice)
 * @param leaderLockKey      PostgreSQL advisory lock key that elects the sending replica
 * @param leaderCheckInterval how often a replica checks (and tries to take) the sender's lock
 * @param senderEnabled      false: this replica never competes for the sender's lock (it queues SMS, others send)
 * @param recordRetention    how long the record of a sent, failed or expired SMS (sms_message and its segments) is
 *                           kept; at least one day, so a late delivery receipt still finds its record
 */
@Validated
@ConfigurationProperties(prefix = "hub.sms")
public record SmsProperties(
        @DefaultValue("hub.sms.outbox") String outboxQueue,
        @DefaultValue("hub.sms.dead-letter") String deadLetterQueue,
        @DefaultValue("100") @Min(1) @Max(100_000) int ratePerSecond,
        @DefaultValue("8") @Min(1) @Max(64) int consumers,
        @DefaultValue("20") @Min(1) int maxAttempts,
        @DefaultValue("1s") Duration retryInitialDelay,
        @DefaultValue("60s") Duration retryMaxDelay,
        @DefaultValue("30s") Duration claimTimeout,
        @DefaultValue("1397574995") long leaderLockKey,
        @DefaultValue("1s") Duration leaderCheckInterval,
        @DefaultValue("true") boolean senderEnabled,
        @DefaultValue("30d") Duration recordRetention) {

    public SmsProperties {
        // SMPP receipts can come days late (an SMSC retries a phone that is off); a shorter retention would delete the
        // record a receipt is for.
        ExpiredRows.requireAtLeast(recordRetention, Duration.ofDays(1), "hub.sms.record-retention");
    }

    /** Back-off before attempt {@code attempt + 1}, after {@code attempt} failed ones (1-based). */
    Duration retryDelay(int attempt) {
        long millis = retryInitialDelay.toMillis() << Math.min(attempt - 1, 20);
        return Duration.ofMillis(Math.min(millis, retryMaxDelay.toMillis()));
    }
}
